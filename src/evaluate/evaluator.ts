/**
 * The evaluate stage for one partition: routes points through the query index
 * to rule hosts, in event-time order, advancing the watermark and releasing
 * due deadlines before each point is evaluated.
 */
import type { DataPoint, VigilEvent } from '../core/index.js';
import type { CompiledRule } from '../language/index.js';
import { QueryIndex } from '../route/index.js';
import type { BatchEffects } from './batch-effects.js';
import { DeadlineQueue } from './deadline-queue.js';
import { ruleOfActorId } from './group-key.js';
import { ResidentSet } from './resident-set.js';
import { isRunnable, RuleHost, type ActorLoader, type RuleHostOptions } from './rule-host.js';

export interface EvaluatorOptions extends RuleHostOptions {
  /** How far behind the newest event time a point may arrive and still count. @default 0 */
  allowedLatenessMs?: number;
  /** Most alert instances kept in memory; the rest are passivated to LMDB. @default 1000000 */
  maxResidentActors?: number;
}

/** The evaluation clock and counters that are persisted with every batch. */
export interface EvaluatorState {
  /** Newest event time seen. */
  readonly maxTs: number;
  /** maxTs minus allowed lateness: steps and deadlines before it are final. */
  readonly watermark: number;
  /** Sequence number the next alert event gets. */
  readonly nextSeq: number;
}

export class Evaluator {
  private readonly index = new QueryIndex<RuleHost>();
  private readonly hosts = new Map<string, RuleHost>();
  private readonly deadlines = new DeadlineQueue();
  private readonly resident: ResidentSet;
  private readonly allowedLatenessMs: number;
  private maxTs = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  private seq = 1;

  constructor(
    loader: ActorLoader,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.allowedLatenessMs = options.allowedLatenessMs ?? 0;
    this.resident = new ResidentSet(loader, options.maxResidentActors ?? 1_000_000);
  }

  /** Restores the persisted clock and the armed deadlines after a start or a failed commit. */
  restore(state: EvaluatorState | undefined, deadlines: Iterable<readonly [number, string]>): void {
    this.maxTs = state?.maxTs ?? Number.NEGATIVE_INFINITY;
    this.watermark = state?.watermark ?? Number.NEGATIVE_INFINITY;
    this.seq = state?.nextSeq ?? 1;
    this.deadlines.clear();
    for (const [at, actorId] of deadlines) this.deadlines.push({ at, actorId });
    this.resident.clear();
  }

  /** Passivates cold instances; the engine calls it once a batch is committed. */
  passivate(): void {
    this.resident.sweep();
  }

  /** Instances dropped from memory since start. */
  passivatedCount(): number {
    return this.resident.passivated;
  }

  state(): EvaluatorState {
    return { maxTs: this.maxTs, watermark: this.watermark, nextSeq: this.seq };
  }

  /** Adds or replaces a rule; in-flight state of its instances is kept (it lives in the records). */
  setRule(rule: CompiledRule): void {
    if (!isRunnable(rule)) throw new Error(`rule ${rule.name} cannot be evaluated: ${this.unsupported(rule)}`);
    const host = new RuleHost(rule, this.resident, this.deadlines, () => this.seq++, this.options);
    this.hosts.set(rule.name, host);
    this.index.add(rule.name, rule.selector, host);
  }

  /**
   * Why this evaluator cannot run a compiled rule, or undefined if it can.
   * The language may express more than evaluation supports at a given time;
   * the engine rejects such rules with a diagnostic instead of accepting them silently.
   */
  unsupported(rule: CompiledRule): string | undefined {
    return isRunnable(rule) ? undefined : 'only conditions comparing one metric selector with a number are evaluated so far';
  }

  /** Removes a rule and forgets its instances (their stored state is deleted by the engine). */
  removeRule(name: string): void {
    this.hosts.delete(name);
    this.index.remove(name);
    const prefix = `alert/${name}/`;
    for (const rec of [...this.resident.records()]) if (rec.id.startsWith(prefix)) this.resident.delete(rec.id);
  }

  host(name: string): RuleHost | undefined {
    return this.hosts.get(name);
  }

  /** Whether an actor is held in memory now. */
  isResident(actorId: string): boolean {
    return this.resident.has(actorId);
  }

  residentCount(): number {
    return this.resident.size;
  }

  /**
   * Evaluates points and events, each list already sorted by event time.
   * Events advance the watermark like points; no rule consumes them yet.
   */
  evaluate(points: readonly DataPoint[], fx: BatchEffects, events: readonly VigilEvent[] = [], _source = ''): void {
    const lastEventTs = events.length > 0 ? events[events.length - 1]!.ts : Number.NEGATIVE_INFINITY;
    for (const point of points) {
      if (point.ts < this.watermark) {
        fx.late++;
        continue;
      }
      if (point.ts > this.maxTs) {
        this.maxTs = point.ts;
        this.advance(point.ts - this.allowedLatenessMs, fx);
      }
      this.index.match(point, (host) => host.onPoint(point, fx));
    }
    if (lastEventTs > this.maxTs) {
      this.maxTs = lastEventTs;
      this.advance(lastEventTs - this.allowedLatenessMs, fx);
    }
  }

  private advance(watermark: number, fx: BatchEffects): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    for (let d = this.deadlines.popDue(watermark); d; d = this.deadlines.popDue(watermark)) {
      const rule = ruleOfActorId(d.actorId);
      if (rule !== undefined) this.hosts.get(rule)?.onDeadline(d.actorId, d.at, fx);
    }
  }
}
