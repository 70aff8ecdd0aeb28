/** The state a condition walk shares with its rule, and the helpers every lowering step uses. */
import type { Expr, Matcher, Span } from './ast.js';
import { formatDuration } from './duration.js';
import type { GroupingIR, InputIR, ValueNode } from './ir.js';
import type { ResolvedLimits } from './limits.js';
import { anchoredRegex, matchesEverything } from './matchers.js';

export type Ty = 'scalar' | 'series' | 'bool' | 'error';

export interface Typed {
  readonly ty: Ty;
  /** Groups of a series or condition; undefined for scalars. */
  readonly group?: GroupingIR;
  readonly node: ValueNode;
}

export type InputSpec = InputIR extends infer T ? (T extends unknown ? Omit<T, 'index'> : never) : never;

/** Everything the walk shares with the rule it belongs to. */
export interface ExprScope {
  readonly err: (span: Span, message: string) => void;
  readonly limits: ResolvedLimits;
  readonly stepMs: number;
  /** The rule's `by`, inherited by aggregations and bare selectors that name no grouping. */
  readonly ruleBy?: readonly string[];
  readonly inputs: InputIR[];
  readonly slots: { node: ValueNode; depth: number; key: string }[];
  selectorCount: number;
}

export const errorNode: ValueNode = { k: 'const', value: 0 };
export const bad: Typed = { ty: 'error', node: errorNode };

export function sameGrouping(a: GroupingIR, b: GroupingIR): boolean {
  if (a.mode !== b.mode) return false;
  if (a.mode === 'series' || b.mode === 'series') return true;
  const la = [...a.labels].sort();
  const lb = [...b.labels].sort();
  return la.length === lb.length && la.every((l, i) => l === lb[i]);
}

export function describeGrouping(g: GroupingIR): string {
  return g.mode === 'series' ? 'per series' : `${g.mode} (${g.labels.join(', ')})`;
}

export function checkMatchers(scope: ExprScope, ms: readonly Matcher[]): void {
  const seen = new Set<string>();
  for (const m of ms) {
    const key = `${m.label}${m.op}`;
    if (seen.has(key)) scope.err(m.span, `matcher "${m.label}${m.op}" is written twice`);
    seen.add(key);
    if (m.op === '=~' || m.op === '!~') {
      const re = anchoredRegex(m.value);
      if (re instanceof Error) scope.err(m.span, `invalid regular expression for "${m.label}": ${re.message}`);
    }
  }
}

export function countSelector(scope: ExprScope, span: Span, matchers: readonly Matcher[], what: string): void {
  scope.selectorCount++;
  if (scope.selectorCount === scope.limits.maxSelectorsPerRule + 1) scope.err(span, `a rule may use at most ${scope.limits.maxSelectorsPerRule} selectors`);
  if (scope.limits.requireSelectorFilter && matchers.every((m) => matchesEverything(m.op, m.value))) {
    scope.err(span, `${what} selects every series; add a matcher such as {cluster="a"}`);
  }
}

export function addInput(scope: ExprScope, spec: InputSpec): number {
  const found = scope.inputs.findIndex((i) => i.text === spec.text);
  if (found >= 0) return found;
  const index = scope.inputs.length;
  scope.inputs.push({ ...spec, index } as InputIR);
  return index;
}

export function addSlot(scope: ExprScope, node: ValueNode, depth: number): number {
  const key = JSON.stringify(node);
  const found = scope.slots.findIndex((s) => s.key === key);
  if (found >= 0) {
    const s = scope.slots[found]!;
    s.depth = Math.max(s.depth, depth);
    return found;
  }
  scope.slots.push({ node, depth, key });
  return scope.slots.length - 1;
}

export function merge(scope: ExprScope, span: Span, a: Typed, b: Typed): GroupingIR | undefined {
  if (!a.group) return b.group;
  if (!b.group) return a.group;
  if (!sameGrouping(a.group, b.group)) {
    scope.err(span, `cannot combine values grouped ${describeGrouping(a.group)} with values grouped ${describeGrouping(b.group)}; group both sides the same way`);
  }
  return a.group;
}

export const numeric = (t: Typed): boolean => t.ty === 'scalar' || t.ty === 'series';

/** Steps covered by a duration argument, or undefined after reporting why it is unusable. */
export function steps(scope: ExprScope, e: Expr, what: string, allowZero = false): number | undefined {
  if (e.kind !== 'duration') {
    scope.err(e.span, `${what} needs a duration such as 10m here`);
    return undefined;
  }
  return durationSteps(scope, e.ms, e.span, what, allowZero);
}

export function durationSteps(scope: ExprScope, ms: number, span: Span, what: string, allowZero = false): number | undefined {
  if (ms > scope.limits.maxDurationMs) {
    scope.err(span, `${what}: ${formatDuration(ms)} is longer than the limit of ${formatDuration(scope.limits.maxDurationMs)}`);
    return undefined;
  }
  if (ms === 0 && !allowZero) {
    scope.err(span, `${what}: the duration must be longer than 0s`);
    return undefined;
  }
  if (ms % scope.stepMs !== 0) {
    scope.err(span, `${what}: ${formatDuration(ms)} is not a whole number of ${formatDuration(scope.stepMs)} steps`);
    return undefined;
  }
  const n = ms / scope.stepMs;
  if (n > scope.limits.maxHistorySteps) {
    scope.err(span, `${what}: ${n} steps of history is above the limit of ${scope.limits.maxHistorySteps}`);
    return undefined;
  }
  return n;
}

