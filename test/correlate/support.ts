/** A Correlator over an in-memory store that commits effects like the engine, so tests can restart it from JSON. */
import type { AlertEvent, AlertState, Tags, VigilEvent } from '../../src/core/index.js';
import { compileSource } from '../../src/language/index.js';
import {
  CorrelateEffects,
  Correlator,
  correlationOf,
  type CommandResult,
  type CorrelatedEvent,
  type CorrelateReader,
  type CorrelateRecord,
  type CorrelatorOptions,
  type Decision,
  type OperatorCommand,
  type RuleCorrelation,
} from '../../src/correlate/index.js';

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;

/** The committed state: records and deadlines, as the engine's LMDB tables would hold them. */
export class MemoryStore implements CorrelateReader {
  records = new Map<string, CorrelateRecord>();
  deadlines = new Map<string, readonly [number, string]>();

  get(id: string): CorrelateRecord | undefined {
    return this.records.get(id);
  }

  *list(prefix: string): Iterable<CorrelateRecord> {
    for (const [id, rec] of [...this.records].sort(([a], [b]) => (a < b ? -1 : 1))) if (id.startsWith(prefix)) yield rec;
  }

  commit(fx: CorrelateEffects): void {
    for (const [id, rec] of fx.records) {
      if (rec) this.records.set(id, rec);
      else this.records.delete(id);
    }
    for (const d of fx.deadlinesRemoved) this.deadlines.delete(`${d[0]}|${d[1]}`);
    for (const d of fx.deadlinesAdded) this.deadlines.set(`${d[0]}|${d[1]}`, d);
  }

  /** The store as it would come back from disk: everything through JSON. */
  reopened(): MemoryStore {
    const copy = new MemoryStore();
    copy.records = new Map(JSON.parse(JSON.stringify([...this.records])) as Array<[string, CorrelateRecord]>);
    copy.deadlines = new Map(JSON.parse(JSON.stringify([...this.deadlines])) as Array<[string, readonly [number, string]]>);
    return copy;
  }
}

export interface BatchInput {
  readonly alerts?: readonly AlertEvent[];
  readonly lifecycle?: readonly VigilEvent[];
  readonly commands?: readonly OperatorCommand[];
  /** Advance correlate's deadlines to this watermark after the batch. */
  readonly watermark?: number;
}

export type HarnessOptions = Omit<CorrelatorOptions, 'reader' | 'rules' | 'nextSeq'> & {
  readonly rules?: Record<string, RuleCorrelation>;
  /** The group labels of a rule, which name its instances; default all labels. */
  readonly groupBy?: Record<string, readonly string[]>;
  /** A rule's severity on its alert events; default `critical`. */
  readonly severity?: Record<string, string>;
};

/** Drives a Correlator batch by batch, committing each batch's effects, and records everything it said. */
export class Harness {
  store = new MemoryStore();
  correlator: Correlator;
  readonly notifications: CorrelatedEvent[] = [];
  readonly decisions: Decision[] = [];
  readonly raised: AlertEvent[] = [];
  readonly results: CommandResult[] = [];
  private seq = 1;

  constructor(readonly options: HarnessOptions = {}) {
    this.correlator = this.open();
  }

  /** An alert event from evaluate, numbered from the same counter as correlate's own events. */
  alert(rule: string, labels: Tags, from: AlertState, to: AlertState, ts: number, value = 1): AlertEvent {
    const seq = this.seq++;
    const key = (this.options.groupBy?.[rule] ?? Object.keys(labels))
      .map((k) => `${k}=${encodeURIComponent(labels[k]!)}`)
      .join(',');
    const alert = `alert/${rule}/${key}`;
    return { seq, id: `${alert}#${seq}`, rule, alert, labels, from, to, ts, value, severity: this.options.severity?.[rule] ?? 'critical' };
  }

  fire(rule: string, labels: Tags, ts: number, value = 1): AlertEvent {
    return this.alert(rule, labels, 'pending', 'firing', ts, value);
  }

  clear(rule: string, labels: Tags, ts: number, value = 0): AlertEvent {
    return this.alert(rule, labels, 'firing', 'resolved', ts, value);
  }

  batch(input: BatchInput): CorrelateEffects {
    const fx = new CorrelateEffects();
    this.correlator.process({ alertEvents: input.alerts ?? [], lifecycle: input.lifecycle ?? [], commands: input.commands ?? [] }, fx);
    if (input.watermark !== undefined) this.correlator.advance(input.watermark, fx);
    this.store.commit(fx);
    this.correlator.committed();
    this.notifications.push(...fx.notifications);
    this.decisions.push(...fx.decisions);
    this.raised.push(...fx.raised);
    this.results.push(...fx.commandResults);
    return fx;
  }

  /** Kill and start again: a new Correlator over the store read back through JSON. */
  restart(): void {
    this.store = this.store.reopened();
    this.correlator = this.open();
  }

  /** Notifications as `to subject @ts` lines, easy to compare. */
  told(): string[] {
    return this.notifications.map((n) => (n.kind === 'alert' ? `${n.to} ${n.alert} @${n.ts}` : `${n.change} ${n.incident}${n.member ? ` ${n.member.change}:${n.member.id}` : ''} @${n.ts}`));
  }

  private open(): Correlator {
    const rules = this.options.rules ?? {};
    const c = new Correlator({ ...this.options, reader: this.store, rules: (name) => rules[name], nextSeq: () => this.seq++ });
    c.restore(this.store.deadlines.values());
    return c;
  }
}

/** Rule metadata compiled from rule text, as the engine will pass it. */
export function rulesFrom(text: string): Record<string, RuleCorrelation> {
  const compiled = compileSource(text);
  if (compiled.diagnostics.length > 0) throw new Error(compiled.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return Object.fromEntries(compiled.rules.map((r) => [r.name, correlationOf(r.ir.meta)]));
}

export function lifecycle(type: string, cluster: string, ts: number, fields: VigilEvent['fields'] = {}): VigilEvent {
  return { type, tags: { cluster }, fields, ts };
}
