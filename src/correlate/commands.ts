/**
 * Operator commands (gRPC / CLI) as data. They travel through the same ordered
 * path as input batches, stamped by the engine with an event time, so an
 * upgrade started by hand and a point that arrives next are applied in order.
 */
import { ArgumentError, type VigilError } from '../core/index.js';
import { compileMatcher } from '../language/index.js';
import type { MatcherSpec } from './model.js';

export interface SilenceSpec {
  /** Chosen by the caller (the API), unique. */
  readonly id: string;
  /** All must match an alert's labels (plus `alertname` and `severity`). At least one. */
  readonly matchers: readonly MatcherSpec[];
  /** Event time, ms. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment?: string;
}

/** `ts` is the event time the engine stamps the command with when it enters the ordered path. */
export type OperatorCommand =
  | { readonly type: 'upgrade.start'; readonly cluster: string; readonly ts: number; readonly until?: number; readonly by: string }
  | { readonly type: 'upgrade.end'; readonly cluster: string; readonly ts: number; readonly by: string }
  | { readonly type: 'maintenance.start'; readonly cluster: string; readonly ts: number; readonly until: number; readonly by: string }
  | { readonly type: 'maintenance.end'; readonly cluster: string; readonly ts: number; readonly by: string }
  | { readonly type: 'silence.add'; readonly silence: SilenceSpec; readonly ts: number }
  | { readonly type: 'silence.expire'; readonly id: string; readonly ts: number; readonly by: string }
  /** `incident` is the incident id (`incident/<signature>`) or the bare signature. */
  | { readonly type: 'incident.ack'; readonly incident: string; readonly ts: number; readonly by: string };

/** Problems a command has on its own, before any state is read; the API can refuse it early with them. */
export function validateCommand(c: OperatorCommand): VigilError | undefined {
  switch (c.type) {
    case 'upgrade.start':
    case 'upgrade.end':
    case 'maintenance.start':
    case 'maintenance.end':
      if (c.cluster === '') return new ArgumentError('cluster', 'must not be empty');
      if ((c.type === 'upgrade.start' || c.type === 'maintenance.start') && c.until !== undefined && !(c.until > c.ts)) {
        return new ArgumentError('until', `must be after the start (${c.ts}), got ${c.until}`);
      }
      return undefined;
    case 'silence.add':
      return validateSilence(c.silence);
    case 'silence.expire':
      return c.id === '' ? new ArgumentError('id', 'must not be empty') : undefined;
    case 'incident.ack':
      return c.incident === '' ? new ArgumentError('incident', 'must not be empty') : undefined;
  }
}

function validateSilence(s: SilenceSpec): VigilError | undefined {
  if (s.id === '') return new ArgumentError('id', 'must not be empty');
  if (s.matchers.length === 0) return new ArgumentError('matchers', 'a silence needs at least one matcher, or it would silence everything');
  if (!(s.endsAt > s.startsAt)) return new ArgumentError('endsAt', `must be after startsAt (${s.startsAt}), got ${s.endsAt}`);
  for (const [i, m] of s.matchers.entries()) {
    if (m.label === '') return new ArgumentError(`matchers[${i}].label`, 'must not be empty');
    if (!['=', '!=', '=~', '!~'].includes(m.op)) return new ArgumentError(`matchers[${i}].op`, `"${m.op}" is not one of = != =~ !~`);
    if (m.op === '=~' || m.op === '!~') {
      try {
        new RegExp(m.value);
      } catch (e) {
        return new ArgumentError(`matchers[${i}].value`, `bad regular expression: ${(e as Error).message}`);
      }
    }
  }
  // As in Alertmanager: matchers that all accept a missing label would silence far more than meant.
  if (s.matchers.every((m) => compileMatcher(m.label, m.op, m.value).test(undefined))) {
    return new ArgumentError('matchers', 'at least one matcher must require a label value (all of these match an alert without the label)');
  }
  return undefined;
}
