/** The configurable limits the checker enforces, with their defaults. */

export interface CheckLimits {
  /** Longest rule name accepted. @default 200 */
  maxNameLength?: number;
  /**
   * Reject selectors that select every series of their metric (no matcher, or
   * only matchers such as `=~".*"` that match any value). @default false
   */
  requireSelectorFilter?: boolean;
  /** Most selectors (metric or event) in one rule. @default 32 */
  maxSelectorsPerRule?: number;
  /** Most steps of history a window, offset, trend or `N of M` may need per group. @default 10080 (a week of 1m steps) */
  maxHistorySteps?: number;
  /** Longest duration accepted anywhere in a rule. @default 2678400000 (31 days) */
  maxDurationMs?: number;
  /**
   * Largest N in `expect N sources`: the evaluator remembers which sources
   * reported, per open step and group, until N did. @default 10000
   */
  maxExpectedSources?: number;
}

export type ResolvedLimits = Required<CheckLimits>;

export function resolveLimits(l: CheckLimits = {}): ResolvedLimits {
  return {
    maxNameLength: l.maxNameLength ?? 200,
    requireSelectorFilter: l.requireSelectorFilter ?? false,
    maxSelectorsPerRule: l.maxSelectorsPerRule ?? 32,
    maxHistorySteps: l.maxHistorySteps ?? 10_080,
    maxDurationMs: l.maxDurationMs ?? 31 * 86_400_000,
    maxExpectedSources: l.maxExpectedSources ?? 10_000,
  };
}

/** The step a rule gets when it needs one and names none. */
export const DEFAULT_STEP_MS = 60_000;
