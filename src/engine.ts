/**
 * The engine wires the stages in one visible place:
 *
 *   ingest (validate) → order (by event time) → evaluate (route + rule hosts)
 *     → store (one LMDB transaction per batch) → alert event listeners (gRPC streams)
 *
 * Every mutation (an input batch, a rule change) runs through one serial queue,
 * so rule changes and points are applied in a single order and a batch's
 * effects are durable before the caller is answered.
 */
import { ErrorCodes, LimitError, RuleError, RuleNotFoundError, ShuttingDownError, VigilError, type AlertEvent, type Clock, type Diagnostic } from './core/index.js';
import { BatchEffects, Evaluator, type EvaluatorState } from './evaluate/index.js';
import { validateBatch, type BatchResult, type DeadLetter, type PointLimits, type SourceBatch } from './ingest/index.js';
import { compileSource } from './language/index.js';
import { Store, type StoredRule, type TableWrite } from './store/index.js';
import { instruments } from './telemetry/index.js';

export interface EngineOptions {
  /** LMDB data directory. @default './data' */
  dataDir: string;
  clock: Clock;
  /** How far behind its source's newest event time a point may arrive. @default 0 */
  allowedLatenessMs?: number;
  /** Allowed lateness by source name prefix, overriding `allowedLatenessMs`. */
  sourceLatenessMs?: Readonly<Record<string, number>>;
  /** Wall-clock ms after which a silent source stops holding the watermark back (docs/evaluation.md); 0 = never. @default 0 */
  idleSourceMs?: number;
  /** Most points accepted in one ingest batch. @default 10000 */
  maxBatchPoints?: number;
  /** Most rules held by one server. @default 100000 */
  maxRules?: number;
  /** Most alert instances kept in memory; the rest wait in LMDB until their next message. @default 1000000 */
  maxResidentActors?: number;
  pointLimits?: PointLimits;
}

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
 * transaction; `committed` runs once they are durable.
 */
export interface CommitHook {
  plan(events: readonly AlertEvent[]): readonly TableWrite[];
  committed(): void;
}


export class Engine {
  private readonly evaluator: Evaluator;
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
  }

  /** Opens the data directory and restores rules, the evaluation clock and armed deadlines. */
  static open(options: EngineOptions): Engine {
    const engine = new Engine(Store.open({ dataDir: options.dataDir }), options);
    for (const { value } of engine.store.rules.getRange()) {
      const compiled = compileSource(value.source);
      // A stored rule that no longer compiles (e.g. after a language change) must not stop the server.
      for (const rule of compiled.rules) if (!engine.evaluator.unsupported(rule)) engine.evaluator.setRule(rule);
    }
    engine.restoreEvaluator();
    return engine;
  }

  private restoreEvaluator(): void {
    this.evaluator.restore(this.store.meta, this.store.allDeadlines());
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
    return this.serial(async () => {
      const stored = batch.nextOffset !== undefined ? this.store.offsets.get(source) : undefined;
      if (stored !== undefined && batch.nextOffset! <= stored) {
        return { accepted: 0, rejected: [], late: 0, lastSeq: this.lastSeq(), duplicate: true };
      }
      const { points, events, rejected, deadLetters } = validateBatch(batch, this.options.pointLimits, this.options.clock.now());
      const fx = new BatchEffects();
      this.evaluator.evaluate(points, fx, events, source, this.options.clock.now());
      await this.commit(fx, source, batch.nextOffset, deadLetters);
      const attrs = { source };
      instruments.pointsIngested.add(points.length, attrs);
      if (rejected.length > 0) instruments.pointsRejected.add(rejected.length, attrs);
      for (const e of fx.events) instruments.alertTransitions.add(1, { to: e.to });
      return { accepted: points.length + events.length, rejected, late: fx.late, lastSeq: this.evaluator.lastSeq() };
    });
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
      if (fx.actors.size > 0 || fx.events.length > 0 || fx.deadlinesAdded.length > 0) await this.commit(fx, undefined, undefined, []);
      return fx.events.length;
    });
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
      const unsupported: Diagnostic[] = [];
      compiled.rules.forEach((rule, i) => {
        const why = this.evaluator.unsupported(rule);
        const at = compiled.decls[i]!.nameSpan;
        if (why) unsupported.push({ code: ErrorCodes.RULE_INVALID, message: `rule "${rule.name}" cannot be evaluated yet: ${why}`, line: at.line, column: at.column, rule: rule.name });
      });
      if (unsupported.length > 0) throw new RuleError(unsupported);
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
        for (const rule of compiled.rules) if (changes.has(rule.name)) this.evaluator.setRule(rule);
      }
      return applied;
    });
  }

  /** Deletes a rule and the state of its alert instances. */
  deleteRule(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.store.rules.get(name)) throw new RuleNotFoundError(name);
      const actors = new Map<string, null>();
      const prefix = `alert/${name}/`;
      for (const key of this.store.actors.getKeys({ start: prefix, end: `${prefix}\uffff` })) actors.set(key, null);
      const deadlinesRemoved = this.store.allDeadlines().filter(([, id]) => id.startsWith(prefix));
      await this.store.commit({ actors, events: [], deadlinesAdded: [], deadlinesRemoved, meta: new Map(), rules: new Map([[name, null]]) });
      this.evaluator.removeRule(name);
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

  private async commit(fx: BatchEffects, source: string | undefined, nextOffset: number | undefined, deadLetters: readonly DeadLetter[]): Promise<void> {
    const meta = this.evaluator.persist();
    if (source !== undefined) meta.set(`source/${source}`, { lastBatchAt: this.options.clock.now() });
    const started = performance.now();
    try {
      await this.store.commit({
        actors: fx.actors,
        events: fx.events,
        deadlinesAdded: fx.deadlinesAdded,
        deadlinesRemoved: fx.deadlinesRemoved,
        meta,
        ...(nextOffset !== undefined && source !== undefined ? { offsets: new Map([[source, nextOffset]]) } : {}),
        deadLetters,
        ...(this.hook && fx.events.length > 0 ? { writes: this.hook.plan(fx.events) } : {}),
      });
    } catch (e) {
      // Memory ran ahead of disk: forget it and continue from what was committed.
      this.restoreEvaluator();
      throw e;
    }
    instruments.commitDuration.record(performance.now() - started);
    this.evaluator.passivate();
    if (this.hook && fx.events.length > 0) this.hook.committed();
    if (fx.events.length > 0) for (const l of this.listeners) notify(l, fx.events);
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
