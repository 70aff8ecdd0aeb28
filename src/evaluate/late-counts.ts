/**
 * Late items per rule and source: kept in memory, persisted one meta key per
 * rule and only for rules whose count changed in the batch (10,000 rules must
 * not mean 10,000 counters per commit), and exported as a metric.
 */
import { instruments } from '../telemetry/index.js';
import type { MetaReader } from './host.js';

const PREFIX = 'evaluator/late/';

export class LateCounts {
  private counts = new Map<string, Map<string, number>>();
  private readonly changed = new Set<string>();

  restore(meta: MetaReader): void {
    this.counts = new Map();
    this.changed.clear();
    for (const { key, value } of meta.getRange({ start: PREFIX, end: `${PREFIX}\uffff` })) {
      this.counts.set(String(key).slice(PREFIX.length), new Map(Object.entries(value as Record<string, number>)));
    }
  }

  /** One late item for `rule` (`''`: no rule selects it) from `source`. */
  bump(rule: string, source: string): void {
    let bySource = this.counts.get(rule);
    if (!bySource) this.counts.set(rule, (bySource = new Map()));
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    this.changed.add(rule);
    instruments.pointsLate.add(1, { rule, source });
  }

  /** The meta entries of the rules that changed since the last call. */
  takeChanged(out: Map<string, unknown>): void {
    for (const rule of this.changed) out.set(PREFIX + rule, Object.fromEntries(this.counts.get(rule)!));
    this.changed.clear();
  }

  all(): Readonly<Record<string, Readonly<Record<string, number>>>> {
    return Object.fromEntries([...this.counts].map(([rule, m]) => [rule, Object.fromEntries(m)]));
  }
}
