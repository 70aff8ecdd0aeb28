/**
 * Silences: operator-made matchers with an event-time window. All of them are
 * held in memory (few, and every alert is matched against them); each change
 * is written through to the batch's effects.
 */
import type { Tags } from '../core/index.js';
import { compileMatcher, type CompiledMatcher } from '../language/index.js';
import type { CorrelateEffects } from './effects.js';
import type { MatcherSpec, SilenceRecord, SuppressionReason } from './model.js';

export function compileMatchers(specs: readonly MatcherSpec[]): CompiledMatcher[] {
  return specs.map((m) => compileMatcher(m.label, m.op, m.value));
}

export function matchesAll(matchers: readonly Pick<CompiledMatcher, 'label' | 'test'>[], labels: Tags): boolean {
  return matchers.every((m) => m.test(labels[m.label]));
}

/** In force at `ts`: started, not ended, not expired by an operator. */
export function silenceInForce(s: SilenceRecord, ts: number): boolean {
  return s.startsAt <= ts && ts < s.endsAt && (s.expiredAt === null || ts < s.expiredAt);
}

/** When the silence stops holding alerts back. */
export function silenceEnd(s: SilenceRecord): number {
  return s.expiredAt === null ? s.endsAt : Math.min(s.endsAt, s.expiredAt);
}

export function silenceReason(s: SilenceRecord): SuppressionReason {
  return { kind: 'silence', id: s.id, since: s.startsAt, until: silenceEnd(s), by: s.createdBy };
}

export class Silences {
  private readonly byId = new Map<string, { rec: SilenceRecord; matchers: CompiledMatcher[] }>();

  load(records: Iterable<SilenceRecord>): void {
    this.byId.clear();
    for (const rec of records) this.byId.set(rec.id, { rec, matchers: compileMatchers(rec.matchers) });
  }

  get(id: string): SilenceRecord | undefined {
    return this.byId.get(id)?.rec;
  }

  all(): SilenceRecord[] {
    return [...this.byId.values()].map((s) => s.rec);
  }

  put(rec: SilenceRecord, fx: CorrelateEffects): void {
    const known = this.byId.get(rec.id);
    this.byId.set(rec.id, { rec, matchers: known && known.rec.matchers === rec.matchers ? known.matchers : compileMatchers(rec.matchers) });
    fx.records.set(rec.id, rec);
  }

  /** Silences in force at `ts` whose matchers all match `labels` (which include `alertname` and `severity`). */
  matching(labels: Tags, ts: number): SilenceRecord[] {
    const out: SilenceRecord[] = [];
    for (const { rec, matchers } of this.byId.values()) if (silenceInForce(rec, ts) && matchesAll(matchers, labels)) out.push(rec);
    return out;
  }

  /** Remembers that `record` is held back by the silence, to reconcile it when the silence ends. */
  attach(id: string, record: string, fx: CorrelateEffects): void {
    const s = this.byId.get(id)?.rec;
    if (s && !s.affected.includes(record)) this.put({ ...s, affected: [...s.affected, record] }, fx);
  }
}
