/**
 * The correlate stage for one partition: applies a batch's lifecycle events,
 * operator commands and alert events in event-time order (lifecycle and
 * commands first at equal times), firing its own deadlines as event time
 * passes them, and collects everything that changed into CorrelateEffects.
 */
import type { AlertEvent, VigilEvent, VigilError } from '../core/index.js';
import { Clusters, type ClusterOptions } from './clusters.js';
import { validateCommand, type OperatorCommand } from './commands.js';
import { Consolidator } from './consolidate.js';
import { DeadlineList } from './deadlines.js';
import type { CorrelateEffects } from './effects.js';
import { explainAlert, type Explanation } from './explain.js';
import { ownsActorId } from './ids.js';
import { Incidents } from './incidents.js';
import { Inhibitors, type InhibitionRuleSpec } from './inhibition.js';
import { toClusterEvent } from './lifecycle.js';
import type { ClusterRecord, CorrelateReader, CorrelateRecord, IncidentRecord, InhibitorRecord, SilenceRecord } from './model.js';
import { RecordCache } from './record-cache.js';
import type { RuleLookup } from './rule-meta.js';
import { SilenceHost } from './silence-host.js';
import { Silences } from './silences.js';

export interface CorrelatorOptions {
  /** Committed records (the store's `actors` table). */
  readonly reader: CorrelateReader;
  readonly rules: RuleLookup;
  /** Sequence numbers of the alerts correlate raises: the alert event log's one counter. */
  readonly nextSeq: () => number;
  /**
   * Sequence numbers of notifications and incident changes (their order and idempotency keys). Apart from the
   * log's, so the log stays gap-free for StreamAlerts. @default nextSeq
   */
  readonly nextNotificationSeq?: () => number;
  /** An upgrade without a declared end times out after this long. @default 7_200_000 (2 h) */
  readonly upgradeTimeoutMs?: number;
  /** No heartbeat for this long makes a cluster unreachable; null switches it off. @default 300_000 (5 min) */
  readonly heartbeatTimeoutMs?: number | null;
  /** The tag (else field) of lifecycle events that names the cluster. @default 'cluster' */
  readonly clusterTag?: string;
  /** Configured inhibition rules. @default [] */
  readonly inhibitions?: readonly InhibitionRuleSpec[];
  /** Records kept in memory between batches; above it the cache is dropped after a commit. @default 100_000 */
  readonly maxResidentRecords?: number;
}

/** One batch's input to correlate. Each list may come in any order; correlate merges them by event time. */
export interface CorrelateInput {
  /** The alert events evaluate produced for the batch. */
  readonly alertEvents: readonly AlertEvent[];
  /** The batch's events; only lifecycle types (see LIFECYCLE_EVENT_TYPES) are read. */
  readonly lifecycle: readonly VigilEvent[];
  readonly commands?: readonly OperatorCommand[];
}

interface Item {
  readonly ts: number;
  /** Lifecycle events and commands before alert events at equal times: an upgrade announced at t covers an alert at t. */
  readonly rank: 0 | 1;
  readonly order: number;
  readonly apply: (fx: CorrelateEffects) => void;
}

export class Correlator {
  private readonly records: RecordCache;
  private readonly deadlines = new DeadlineList();
  private readonly silences = new Silences();
  private readonly inhibitors: Inhibitors;
  private readonly clusterHost: Clusters;
  private readonly incidentHost: Incidents;
  private readonly consolidator: Consolidator;
  private readonly silenceHost: SilenceHost;
  private readonly clusterTag: string;
  private readonly maxResident: number;
  private latestTs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: CorrelatorOptions) {
    this.records = new RecordCache(options.reader);
    this.inhibitors = new Inhibitors(options.inhibitions ?? [], options.rules);
    this.clusterTag = options.clusterTag ?? 'cluster';
    this.maxResident = options.maxResidentRecords ?? 100_000;
    const clusterOptions: ClusterOptions = { upgradeTimeoutMs: options.upgradeTimeoutMs ?? 7_200_000, heartbeatTimeoutMs: options.heartbeatTimeoutMs === undefined ? 300_000 : options.heartbeatTimeoutMs };
    const release = (ids: readonly string[], ts: number, cause: string, fx: CorrelateEffects): void => this.consolidator.release(ids, ts, cause, fx);
    this.clusterHost = new Clusters(this.records, this.deadlines, clusterOptions, options.nextSeq, {
      release,
      // The alerts a cluster raises are correlated like any other (silences and inhibition rules apply); no decision is recorded for them.
      raise: (event, fx) => void this.consolidator.onTransition(event, fx),
    });
    const nextNotificationSeq = options.nextNotificationSeq ?? options.nextSeq;
    this.incidentHost = new Incidents(this.records, nextNotificationSeq);
    this.consolidator = new Consolidator({
      records: this.records,
      rules: options.rules,
      silences: this.silences,
      inhibitors: this.inhibitors,
      incidents: this.incidentHost,
      clusters: this.clusterHost,
      nextSeq: nextNotificationSeq,
    });
    this.silenceHost = new SilenceHost(this.silences, this.deadlines, release);
    this.restore([]);
  }

  /**
   * Forgets memory and reloads from committed state: at start, and after a
   * failed commit. `deadlines` may be all of the store's; only correlate's are kept.
   */
  restore(deadlines: Iterable<readonly [number, string]>): void {
    this.records.clear();
    this.silences.load(this.records.list('silence/', 'silence'));
    this.inhibitors.load(this.records.list('inhibitor/', 'inhibitor'));
    this.deadlines.clear();
    for (const [at, id] of deadlines) if (ownsActorId(id)) this.deadlines.add(at, id);
  }

  process(input: CorrelateInput, fx: CorrelateEffects): void {
    const items: Item[] = [];
    for (const e of input.lifecycle) {
      const m = toClusterEvent(e, this.clusterTag);
      if (m) items.push({ ts: e.ts, rank: 0, order: items.length, apply: (f) => void this.clusterHost.apply(m.cluster, m.event, f) });
    }
    for (const c of input.commands ?? []) items.push({ ts: c.ts, rank: 0, order: items.length, apply: (f) => this.command(c, f) });
    for (const e of input.alertEvents) items.push({ ts: e.ts, rank: 1, order: items.length, apply: (f) => void f.decisions.push(this.consolidator.onTransition(e, f)) });
    items.sort((a, b) => a.ts - b.ts || a.rank - b.rank || a.order - b.order);
    for (const item of items) {
      this.fireDue(item.ts, fx);
      this.latestTs = Math.max(this.latestTs, item.ts);
      item.apply(fx);
    }
  }

  /** Fires correlate's deadlines up to `watermark` (upgrade time-outs, window ends, heartbeat time-outs, silence ends). */
  advance(watermark: number, fx: CorrelateEffects): void {
    this.fireDue(watermark, fx);
    this.latestTs = Math.max(this.latestTs, watermark);
  }

  /** A rule was deleted (the engine's own serial step, committed like a batch): resolve and drop what correlate kept of it. */
  forgetRule(rule: string, ts: number, fx: CorrelateEffects): void {
    this.consolidator.forgetRule(rule, ts, fx);
  }

  /** Call once a batch's effects are durable: bounds the memory held between batches. */
  committed(): void {
    if (this.records.size > this.maxResident) this.records.clear();
  }

  /** Why an alert instance does (not) notify, at event time `at` (default: the newest event time seen). */
  explain(alert: string, at = this.latestTs): Explanation {
    return explainAlert(alert, at, { records: this.records, rules: this.options.rules, consolidator: this.consolidator, clusters: this.clusterHost });
  }

  clusters(): ClusterRecord[] {
    return this.records.list('cluster/', 'cluster');
  }

  incidents(): IncidentRecord[] {
    return this.records.list('incident/', 'incident');
  }

  silenceList(): SilenceRecord[] {
    return this.silences.all();
  }

  inhibitorList(): InhibitorRecord[] {
    return this.records.list('inhibitor/', 'inhibitor');
  }

  private fireDue(ts: number, fx: CorrelateEffects): void {
    for (let d = this.deadlines.takeDue(ts); d; d = this.deadlines.takeDue(ts)) {
      // Gone from the table whatever the owner makes of it: a stale one (the machine moved on) must not come back at restart.
      fx.removeDeadline(d.at, d.id);
      if (d.id.startsWith('cluster/')) this.clusterHost.onDeadline(d.id, d.at, fx);
      else if (d.id.startsWith('silence/')) this.silenceHost.onDeadline(d.id, d.at, fx);
    }
  }

  private command(c: OperatorCommand, fx: CorrelateEffects): void {
    const invalid = validateCommand(c);
    const result = invalid ?? this.applyCommand(c, fx);
    if (result instanceof Error) fx.commandResults.push({ command: c, ok: false, error: result });
    else fx.commandResults.push({ command: c, ok: true, record: result });
  }

  private applyCommand(c: OperatorCommand, fx: CorrelateEffects): CorrelateRecord | VigilError {
    switch (c.type) {
      case 'upgrade.start':
        return this.clusterHost.apply(c.cluster, { type: 'upgrade.start', ts: c.ts, until: c.until ?? null, by: `operator:${c.by}` }, fx);
      case 'upgrade.end':
        return this.clusterHost.apply(c.cluster, { type: 'upgrade.finish', ts: c.ts }, fx, true);
      case 'maintenance.start':
        return this.clusterHost.apply(c.cluster, { type: 'maintenance.start', ts: c.ts, until: c.until, by: `operator:${c.by}` }, fx);
      case 'maintenance.end':
        return this.clusterHost.apply(c.cluster, { type: 'maintenance.finish', ts: c.ts }, fx, true);
      case 'silence.add':
        return this.silenceHost.add(c.silence, c.ts, fx);
      case 'silence.expire':
        return this.silenceHost.expire(c.id, c.ts, fx);
      case 'incident.ack':
        return this.incidentHost.acknowledge(c.incident, c.ts, c.by, fx);
    }
  }
}
