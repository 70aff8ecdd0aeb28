/**
 * The engine wires the stages in one visible place:
 *
 *   ingest (validate) → order (by event time) → evaluate (route + rule hosts)
 *     → correlate (clusters, suppression, incidents: who hears about it)
 *     → store (one LMDB transaction per batch: alert events, actor records, correlate records,
 *              deadlines, offsets, and delivery's outbox writes for the correlated notifications)
 *     → alert event listeners (gRPC streams)
 *
 * Every mutation (an input batch, a rule change, an operator command such as
 * an upgrade start) runs through one serial queue, so they are applied in a
 * single order and a batch's effects are durable before the caller is answered.
 */
import type { Database } from 'lmdb';
import {
  correlationOf,
  CorrelateEffects,
  Correlator,
  tableReader,
  validateCommand,
  type ClusterRecord,
  type CorrelatedEvent,
  type CorrelateRecord,
  type CorrelatorOptions,
  type Explanation,
  type IncidentRecord,
  type OperatorCommand,
  type RuleCorrelation,
  type SilenceRecord,
} from './correlate/index.js';
import { ErrorCodes, LimitError, RuleError, RuleNotFoundError, ShuttingDownError, VigilError, type AlertEvent, type Clock, type VigilEvent } from './core/index.js';
import { BatchEffects, Evaluator, type EvaluatorState } from './evaluate/index.js';
import { validateBatch, type BatchResult, type DeadLetter, type PointLimits, type SourceBatch } from './ingest/index.js';
import { compileSource, type CompiledRule } from './language/index.js';
import { Store, type StoredRule, type TableWrite } from './store/index.js';
import { instruments, traceBatch } from './telemetry/index.js';

export interface EngineOptions {
  /** LMDB data directory. @default './data' */
  dataDir: string;
  clock: Clock;
  /** How far behind its source's newest event time a point may arrive. @default 0 */
  allowedLatenessMs?: number;
  /** Allowed lateness by source name prefix, overriding `allowedLatenessMs`. */
  sourceLatenessMs?: Readonly<Record<string, number>>;
  /** Wall-clock ms after which a silent source advances by the time it has been silent (docs/evaluation.md); 0 = never. @default 0 */
  idleSourceMs?: number;
  /** Most points accepted in one ingest batch. @default 10000 */
  maxBatchPoints?: number;
  /** Most rules held by one server. @default 100000 */
  maxRules?: number;
  /** Most alert instances kept in memory; the rest wait in LMDB until their next message. @default 1000000 */
  maxResidentActors?: number;
  pointLimits?: PointLimits;
  /** Cluster lifecycle, heartbeats and inhibition rules of the correlate stage (docs/correlation.md). @default its defaults */
  correlation?: CorrelationOptions;
}

/** The correlate stage's settings; each has its default in `CorrelatorOptions`. */
export type CorrelationOptions = Pick<CorrelatorOptions, 'upgradeTimeoutMs' | 'heartbeatTimeoutMs' | 'clusterTag' | 'inhibitions'>;

export type IngestResult = BatchResult;

export type RuleChange = 'created' | 'updated' | 'unchanged';

export interface AppliedRule {
  readonly name: string;
  readonly version: number;
  readonly change: RuleChange;
}

export type EventListener = (events: readonly AlertEvent[]) => void;

/**
 * How later stages (delivery) join a batch's commit without the engine
 * depending on them: `plan` returns table writes committed in the batch's own
 * transaction; `committed` runs once they are durable. It is given what
 * correlate decided people hear about (notifications and incident changes),
 * not the raw alert transitions: a suppressed alert notifies nobody.
 */
export interface CommitHook {
  plan(events: readonly CorrelatedEvent[]): readonly TableWrite[];
  committed(): void;
}

const CORRELATE_KEY = 'correlate';
/** Correlate's records (clusters, consolidated alerts, incidents, silences, inhibitors): a table of its own, like delivery's outbox. */
const CORRELATE_TABLE = 'correlate';

interface CorrelateState {
  /** Sequence number of the next notification or incident change. */
  readonly nextNotificationSeq: number;
}


export class Engine {
  private readonly evaluator: Evaluator;
  private readonly correlator: Correlator;
  private readonly correlateTable: Database<CorrelateRecord, string>;
  /** Correlation metadata (scope, signature, inhibit) of each evaluated rule. */
  private readonly ruleMeta = new Map<string, RuleCorrelation>();
  private nextNotificationSeq = 1;
  /** The counter is not in `meta` yet, or moved since it was written. */
  private notificationSeqDirty = false;
  private readonly listeners = new Set<EventListener>();
  private queue: Promise<unknown> = Promise.resolve();
  private hook: CommitHook | undefined;
  private closed = false;

  private constructor(
    readonly store: Store,
    private readonly options: EngineOptions,
  ) {
    this.evaluator = new Evaluator(store.actors, {
      allowedLatenessMs: options.allowedLatenessMs ?? 0,
      ...(options.sourceLatenessMs ? { sourceLatenessMs: options.sourceLatenessMs } : {}),
      ...(options.idleSourceMs !== undefined ? { idleSourceMs: options.idleSourceMs } : {}),
      ...(options.maxResidentActors !== undefined ? { maxResidentActors: options.maxResidentActors } : {}),
    });
    this.correlateTable = store.openTable<CorrelateRecord>(CORRELATE_TABLE);
    this.correlator = new Correlator({
      ...options.correlation,
      reader: tableReader(this.correlateTable),
      rules: (name) => this.ruleMeta.get(name),
      nextSeq: () => this.evaluator.allocateSeq(),
      nextNotificationSeq: () => this.nextNotificationSeq++,
    });
  }

  /** Opens the data directory and restores rules, the evaluation clock and armed deadlines. */
  static open(options: EngineOptions): Engine {
    const engine = new Engine(Store.open({ dataDir: options.dataDir }), options);
    for (const { value } of engine.store.rules.getRange()) {
      const compiled = compileSource(value.source);
      // A stored rule that no longer compiles (e.g. after a language change) must not stop the server.
      for (const rule of compiled.rules) engine.setRule(rule);
    }
    engine.restoreState();
    return engine;
  }

  private setRule(rule: CompiledRule): void {
    this.evaluator.setRule(rule);
    this.ruleMeta.set(rule.name, correlationOf(rule.ir.meta));
  }

  /** Memory back to what is committed: at open, and after a failed commit. */
  private restoreState(): void {
    const deadlines = this.store.allDeadlines();
    this.evaluator.restore(this.store.meta, deadlines);
    const stored = this.store.meta.get(CORRELATE_KEY) as CorrelateState | undefined;
    // Before correlation existed, notifications were keyed by alert event ids: continue above them so no key is reused,
    // and write the starting point with the next commit so a restart before any notification starts from the same one.
    this.nextNotificationSeq = stored?.nextNotificationSeq ?? this.evaluator.state().nextSeq;
    this.notificationSeqDirty = stored === undefined;
    this.correlator.restore(deadlines);
  }

  /** Validates, orders and evaluates one batch of points; resolves once its effects are durable. */
  ingest(source: string, points: readonly unknown[]): Promise<IngestResult> {
    return this.ingestBatch({ source, points });
  }

  /** The engine side of the source contract (see ingest/source.ts). */
  ingestBatch(batch: SourceBatch): Promise<BatchResult> {
    const { source } = batch;
    const max = this.options.maxBatchPoints ?? 10_000;
    const size = batch.points.length + (batch.events?.length ?? 0);
    if (size > max) return Promise.reject(new LimitError('points and events in one batch', max, size));
    return this.serial(() => traceBatch({ source }, async (t) => {
      const stored = batch.nextOffset !== undefined ? this.store.offsets.get(source) : undefined;
      if (stored !== undefined && batch.nextOffset! <= stored) {
        return { accepted: 0, rejected: [], late: 0, lastSeq: this.lastSeq(), duplicate: true };
      }
      const { points, events, rejected, deadLetters } = validateBatch(batch, this.options.pointLimits, this.options.clock.now());
      t.validated({ points: points.length, events: events.length, rejected: rejected.length });
      const fx = new BatchEffects();
      this.evaluator.evaluate(points, fx, events, source, this.options.clock.now());
      const cfx = this.correlate(fx.events, events);
      t.evaluated(fx.late, fx.events, cfx.raised);
      await this.commit(fx, cfx, source, batch.nextOffset, deadLetters);
      t.committed();
      const attrs = { source };
      instruments.pointsIngested.add(points.length, attrs);
      if (rejected.length > 0) instruments.pointsRejected.add(rejected.length, attrs);
      for (const e of [...fx.events, ...cfx.raised]) instruments.alertTransitions.add(1, { to: e.to });
      return { accepted: points.length + events.length, rejected, late: fx.late, lastSeq: this.evaluator.lastSeq() };
    }));
  }

  /**
   * Lets wall-clock time advance idle sources (see `idleSourceMs`) and commits
   * what became final: steps, `for` and no-data deadlines. `vigil serve` calls it
   * every second; with no idle sources it changes nothing.
   */
  tick(): Promise<number> {
    return this.serial(async () => {
      const fx = new BatchEffects();
      this.evaluator.tick(this.options.clock.now(), fx);
      const cfx = this.correlate(fx.events, []);
      if (fx.actors.size > 0 || fx.events.length > 0 || fx.deadlinesAdded.length > 0 || cfx.changed) await this.commit(fx, cfx, undefined, undefined, []);
      return fx.events.length + cfx.raised.length;
    });
  }

  /**
   * Runs an operator command (upgrade, maintenance, silence, acknowledgement)
   * in order with the batches, at the current event time: the newest event time
   * seen, or the wall clock before any data. `make` builds it for that time.
   * Resolves with the record it changed once that is durable.
   */
  command(make: (ts: number) => OperatorCommand): Promise<CorrelateRecord> {
    return this.serial(async () => {
      const cmd = make(this.eventTimeNow());
      const invalid = validateCommand(cmd);
      if (invalid) throw invalid;
      const cfx = new CorrelateEffects();
      this.correlator.process({ alertEvents: [], lifecycle: [], commands: [cmd] }, cfx);
      if (cfx.changed) await this.commit(new BatchEffects(), cfx, undefined, undefined, []);
      const result = cfx.commandResults[0]!;
      if (!result.ok) throw result.error;
      return result.record;
    });
  }

  /** Event time "now" for operator commands and rule deletion. */
  eventTimeNow(): number {
    const { maxTs } = this.evaluator.state();
    return Number.isFinite(maxTs) ? maxTs : this.options.clock.now();
  }

  /** Why an alert instance does (not) notify: its subject, cluster, and everything suppressing it. */
  explain(alertId: string): Explanation {
    return this.correlator.explain(alertId, this.eventTimeNow());
  }

  /** Committed cluster actors, by id. */
  clusters(): ClusterRecord[] {
    return this.correlateRecords('cluster/', 'cluster');
  }

  /** Committed incidents, by id (open and resolved). */
  incidents(): IncidentRecord[] {
    return this.correlateRecords('incident/', 'incident');
  }

  /** Committed silences, by id (pending, active and expired). */
  silences(): SilenceRecord[] {
    return this.correlateRecords('silence/', 'silence');
  }

  /** A committed correlate record (cluster, consolidated alert, incident, silence, inhibitor) by id. */
  correlateRecord(id: string): CorrelateRecord | undefined {
    return this.correlateTable.get(id);
  }

  /** Committed correlate records whose ids start with `prefix`, in id order. */
  listCorrelateRecords(prefix: string, afterId = ''): Iterable<CorrelateRecord> {
    const start = afterId > prefix ? `${afterId}\u0000` : prefix;
    const table = this.correlateTable;
    return (function* () {
      for (const { value } of table.getRange({ start, end: `${prefix}\uffff` })) yield value;
    })();
  }

  private correlateRecords<K extends CorrelateRecord['kind']>(prefix: string, kind: K): Array<Extract<CorrelateRecord, { kind: K }>> {
    return [...this.listCorrelateRecords(prefix)].filter((r): r is Extract<CorrelateRecord, { kind: K }> => r.kind === kind);
  }

  /** Correlates a batch's alert events and lifecycle events, then fires correlate's deadlines up to the watermark. */
  private correlate(alertEvents: readonly AlertEvent[], events: readonly VigilEvent[]): CorrelateEffects {
    const cfx = new CorrelateEffects();
    this.correlator.process({ alertEvents, lifecycle: events }, cfx);
    this.correlator.advance(this.evaluator.state().watermark, cfx);
    return cfx;
  }

  /** Late items per rule and source (`''`: items no rule selects). */
  lateCounts(): Readonly<Record<string, Readonly<Record<string, number>>>> {
    return this.evaluator.lateCounts();
  }

  /**
   * Creates or updates every rule in `text`; all-or-nothing. `expectedVersions`
   * gives optimistic concurrency: a rule whose stored version (0 when absent)
   * differs from the expected one fails the whole call with RULE_VERSION_CONFLICT.
   */
  applyRules(text: string, options: { createOnly?: boolean; expectedVersions?: ReadonlyMap<string, number> } = {}): Promise<AppliedRule[]> {
    return this.serial(async () => {
      const compiled = compileSource(text);
      if (compiled.diagnostics.length > 0) throw new RuleError(compiled.diagnostics);
      const changes = new Map<string, StoredRule>();
      const applied: AppliedRule[] = [];
      let added = 0;
      for (const rule of compiled.rules) {
        const existing = this.store.rules.get(rule.name);
        if (existing && options.createOnly) throw new VigilError(ErrorCodes.RULE_EXISTS, `rule "${rule.name}" already exists`);
        const expected = options.expectedVersions?.get(rule.name);
        if (expected !== undefined && expected !== (existing?.version ?? 0)) {
          throw new VigilError(ErrorCodes.RULE_VERSION_CONFLICT, `rule "${rule.name}" is at version ${existing?.version ?? 0}, not ${expected}`);
        }
        if (!existing) added++;
        if (existing?.source === rule.source) {
          applied.push({ name: rule.name, version: existing.version, change: 'unchanged' });
          continue;
        }
        const version = (existing?.version ?? 0) + 1;
        changes.set(rule.name, { name: rule.name, source: rule.source, version, updatedAt: this.options.clock.now() });
        applied.push({ name: rule.name, version, change: existing ? 'updated' : 'created' });
      }
      const maxRules = this.options.maxRules ?? 100_000;
      const count = this.store.rules.getKeysCount() + added;
      if (count > maxRules) throw new LimitError('rules on this server', maxRules, count);
      if (changes.size > 0) {
        await this.store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), rules: changes });
        for (const rule of compiled.rules) if (changes.has(rule.name)) this.setRule(rule);
      }
      return applied;
    });
  }

  /** Deletes a rule and the state of its alert instances; what people were told of its alerts resolves. */
  deleteRule(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.store.rules.get(name)) throw new RuleNotFoundError(name);
      const fx = new BatchEffects();
      const prefix = `alert/${name}/`;
      for (const key of this.store.actors.getKeys({ start: prefix, end: `${prefix}\uffff` })) fx.actors.set(key, null);
      fx.deadlinesRemoved.push(...this.store.allDeadlines().filter(([, id]) => id.startsWith(prefix)));
      const cfx = new CorrelateEffects();
      this.correlator.forgetRule(name, this.eventTimeNow(), cfx);
      await this.commit(fx, cfx, undefined, undefined, [], new Map([[name, null]]));
      this.evaluator.removeRule(name);
      this.ruleMeta.delete(name);
    });
  }

  listRules(): StoredRule[] {
    return [...this.store.rules.getRange()].map((e) => e.value);
  }

  getRule(name: string): StoredRule {
    const rule = this.store.rules.get(name);
    if (!rule) throw new RuleNotFoundError(name);
    return rule;
  }

  /** Committed alert events after `afterSeq`, oldest first. */
  readEvents(afterSeq: number, limit: number): AlertEvent[] {
    return this.store.readEvents(afterSeq, limit);
  }

  /** The sequence number of the newest committed alert event (0 when none). */
  lastSeq(): number {
    return this.evaluator.lastSeq();
  }

  /** The persisted evaluation clock (watermark, newest event time, next sequence). */
  evaluatorState(): EvaluatorState {
    return this.evaluator.state();
  }

  isResident(actorId: string): boolean {
    return this.evaluator.isResident(actorId);
  }

  residentCount(): number {
    return this.evaluator.residentCount();
  }

  passivatedCount(): number {
    return this.evaluator.passivatedCount();
  }

  /** Joins a later stage to every batch commit (see CommitHook). */
  setCommitHook(hook: CommitHook): void {
    this.hook = hook;
  }

  /** Called with each batch's events after they are durable. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.store.close();
  }

  /** The offset to resume `source` from, as committed with the state it produced. */
  storedOffset(source: string): number | undefined {
    return this.store.offsets.get(source);
  }

  /**
   * Commits what evaluate and correlate made of one batch (or command, tick,
   * rule deletion) in one transaction: evaluate's alert events then the alerts
   * correlate raised, both stages' records and deadlines, and delivery's outbox
   * writes for what correlate says people hear about.
   */
  private async commit(
    fx: BatchEffects,
    cfx: CorrelateEffects,
    source: string | undefined,
    nextOffset: number | undefined,
    deadLetters: readonly DeadLetter[],
    rules?: ReadonlyMap<string, StoredRule | null>,
  ): Promise<void> {
    const meta = this.evaluator.persist();
    if (cfx.notifications.length > 0 || this.notificationSeqDirty) meta.set(CORRELATE_KEY, { nextNotificationSeq: this.nextNotificationSeq } satisfies CorrelateState);
    if (source !== undefined) meta.set(`source/${source}`, { lastBatchAt: this.options.clock.now() });
    const events = cfx.raised.length > 0 ? [...fx.events, ...cfx.raised] : fx.events;
    const writes: TableWrite[] = [];
    for (const [id, rec] of cfx.records) writes.push({ table: this.correlateTable, key: id, value: rec });
    const hook = cfx.notifications.length > 0 ? this.hook : undefined;
    if (hook) writes.push(...hook.plan(cfx.notifications));
    const started = performance.now();
    try {
      await this.store.commit({
        actors: fx.actors,
        events,
        deadlinesAdded: [...fx.deadlinesAdded, ...cfx.deadlinesAdded],
        deadlinesRemoved: [...fx.deadlinesRemoved, ...cfx.deadlinesRemoved],
        meta,
        ...(rules ? { rules } : {}),
        ...(nextOffset !== undefined && source !== undefined ? { offsets: new Map([[source, nextOffset]]) } : {}),
        deadLetters,
        writes,
      });
    } catch (e) {
      // Memory ran ahead of disk: forget it and continue from what was committed.
      this.restoreState();
      throw e;
    }
    instruments.commitDuration.record(performance.now() - started);
    instruments.commitEntries.record(fx.actors.size + events.length + writes.length + deadLetters.length);
    this.notificationSeqDirty = false;
    this.evaluator.passivate();
    this.correlator.committed();
    hook?.committed();
    if (events.length > 0) for (const l of this.listeners) notify(l, events);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ShuttingDownError());
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** A listener's failure (a broken stream) must not fail the batch that is already committed. */
function notify(listener: EventListener, events: readonly AlertEvent[]): void {
  try {
    listener(events);
  } catch {
    // The listener owns its own error reporting.
  }
}
