/**
 * The evaluate stage for one partition. Items of a batch are taken in event
 * time; each advances the watermark, which releases — in event-time order —
 * step closes, deadlines and items held for ordering (docs/evaluation.md), and
 * is then routed to the rule hosts that need it.
 */
import { restoreAlertSnapshot } from '../../actors/index.js';
import type { DataPoint, VigilEvent } from '../core/index.js';
import type { CompiledRule } from '../language/index.js';
import type { AlertRecord } from '../store/index.js';
import { recordStepClose } from '../telemetry/index.js';
import { BatchEffects } from './batch-effects.js';
import { DeadlineQueue } from './deadline-queue.js';
import { LateCounts } from './late-counts.js';
import { ruleOfActorId } from './group-key.js';
import type { ActorLoader, HostContext, MetaReader } from './host.js';
import { OrderedBuffer, type BufferedItem } from './ordered-buffer.js';
import { PointHost } from './point-host.js';
import { ResidentSet } from './resident-set.js';
import { Router, type AnyHost, type EventSub, type MetricSub } from './router.js';
import { SequenceHost } from './sequence-host.js';
import { StepHost } from './step-host.js';
import { Watermarks, type SourceProgress } from './watermark.js';

export interface EvaluatorOptions {
  /** How far behind its newest event time a source's items may arrive and still count. @default 0 */
  allowedLatenessMs?: number;
  /** Allowed lateness by source name prefix (the longest matching prefix wins); overrides `allowedLatenessMs`. */
  sourceLatenessMs?: Readonly<Record<string, number>>;
  /** Wall-clock ms after which a silent source advances by the time it has been silent (docs/evaluation.md); 0 = never. @default 0 */
  idleSourceMs?: number;
  /** Most alert instances kept in memory; the rest are passivated to LMDB. @default 1000000 */
  maxResidentActors?: number;
  /** Transitions kept per instance for inspection. @default 20 */
  historyLimit?: number;
}

/** The evaluation clock and counters that are persisted with every batch. */
export interface EvaluatorState {
  /** Newest event time seen. */
  readonly maxTs: number;
  /** The partition watermark: items below it are late, steps and deadlines up to it are final. */
  readonly watermark: number;
  /** Sequence number the next alert event gets. */
  readonly nextSeq: number;
  /** Progress of each source (absent in data written before per-source watermarks). */
  readonly sources?: Readonly<Record<string, SourceProgress>>;
}

const STATE_KEY = 'evaluator';
const BUFFER_KEY = 'evaluator/buffer';
/** Stands in for a batch between batches; nothing is ever routed while it is set. */
const IDLE_EFFECTS = new BatchEffects();

type Ordered = { readonly point: DataPoint; readonly event?: undefined } | { readonly event: VigilEvent; readonly point?: undefined };

export class Evaluator {
  private readonly router = new Router();
  private readonly hosts = new Map<string, AnyHost>();
  private readonly deadlines = new DeadlineQueue();
  /** Next step end of each step rule with live groups (`actorId` is the rule name). */
  private readonly stepEnds = new DeadlineQueue();
  private readonly scheduled = new Map<string, number>();
  private readonly resident: ResidentSet;
  private readonly marks: Watermarks;
  private readonly buffer = new OrderedBuffer();
  private readonly ctx: HostContext;
  private readonly loader: ActorLoader;
  /** Everything up to this time has been released. */
  private released = Number.NEGATIVE_INFINITY;
  private readonly late = new LateCounts();
  private seq = 1;
  private restored = false;
  // The item being routed, kept in fields so the visitors below are allocated once, not per point.
  private fx = IDLE_EFFECTS;
  private source = '';
  /** The wall clock the current batch or tick was handed (0: none), for step close latency. */
  private now = 0;
  private point: DataPoint | undefined;
  private event: VigilEvent | undefined;
  private needsOrder = false;

  constructor(loader: ActorLoader, options: EvaluatorOptions = {}) {
    this.loader = { get: (id) => upgradeRecord(loader.get(id)), ...(loader.getRange ? { getRange: loader.getRange.bind(loader) } : {}) };
    this.resident = new ResidentSet(this.loader, options.maxResidentActors ?? 1_000_000);
    const base = options.allowedLatenessMs ?? 0;
    const prefixes = Object.entries(options.sourceLatenessMs ?? {}).sort((a, b) => b[0].length - a[0].length);
    this.marks = new Watermarks({ latenessMs: (s) => prefixes.find(([p]) => s.startsWith(p))?.[1] ?? base, idleSourceMs: options.idleSourceMs ?? 0 });
    this.ctx = { instances: this.resident, deadlines: this.deadlines, nextSeq: () => this.seq++, historyLimit: options.historyLimit ?? 20 };
  }

  /** Restores the persisted clock, armed deadlines, held items, late counts and live step groups (start, or after a failed commit). */
  restore(meta: MetaReader, deadlines: Iterable<readonly [number, string]>): void {
    const state = meta.get(STATE_KEY) as EvaluatorState | undefined;
    this.marks.restore(state?.watermark ?? Number.NEGATIVE_INFINITY, state?.sources);
    this.released = this.marks.current;
    this.seq = state?.nextSeq ?? 1;
    this.late.restore(meta);
    this.deadlines.clear();
    for (const [at, actorId] of deadlines) this.deadlines.push({ at, actorId });
    this.buffer.restore(meta.get(BUFFER_KEY) as readonly BufferedItem[] | undefined);
    this.resident.clear();
    this.stepEnds.clear();
    this.scheduled.clear();
    for (const host of this.hosts.values()) if (host instanceof StepHost) this.reload(host);
    this.restored = true;
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
    const sources = this.marks.snapshot();
    const maxTs = Math.max(Number.NEGATIVE_INFINITY, ...Object.values(sources).map((s) => s.maxTs));
    return { maxTs, watermark: this.marks.current, nextSeq: this.seq, sources };
  }

  /** The sequence number of the newest alert event (0 when none). */
  lastSeq(): number {
    return this.seq - 1;
  }

  /** The meta entries to commit with the batch: the clock, held items and late counts that changed. */
  persist(): Map<string, unknown> {
    const out = new Map<string, unknown>([[STATE_KEY, this.state()]]);
    const buffer = this.buffer.takeChanged();
    if (buffer) out.set(BUFFER_KEY, buffer);
    this.late.takeChanged(out);
    return out;
  }

  /** Takes the next alert-log sequence number, for later stages that append to the same log (correlate). */
  allocateSeq(): number {
    return this.seq++;
  }

  /** Late items per rule and source since the data directory was created. */
  lateCounts(): Readonly<Record<string, Readonly<Record<string, number>>>> {
    return this.late.all();
  }

  /** Adds or replaces a rule; instances keep their machine state (it lives in the records). */
  setRule(rule: CompiledRule): void {
    this.removeHost(rule.name);
    const mode = rule.ir.mode;
    const host = mode === 'step' ? new StepHost(rule, this.ctx) : mode === 'event' ? new SequenceHost(rule, this.ctx) : new PointHost(rule, this.ctx);
    this.hosts.set(rule.name, host);
    this.router.add(host, mode === 'step' ? 'step' : mode === 'event' ? 'sequence' : 'point');
    if (host instanceof StepHost && this.restored) this.reload(host);
  }

  /** Removes a rule and forgets its instances (their stored state is deleted by the engine). */
  removeRule(name: string): void {
    this.removeHost(name);
    const prefix = `alert/${name}/`;
    for (const rec of [...this.resident.records()]) if (rec.id.startsWith(prefix)) this.resident.delete(rec.id);
  }

  /** Whether an actor is held in memory now. */
  isResident(actorId: string): boolean {
    return this.resident.has(actorId);
  }

  residentCount(): number {
    return this.resident.size;
  }

  /**
   * Evaluates one batch of `source`: points and events, each list sorted by
   * event time (points first at equal times). `now` is the wall clock, used
   * only to tell idle sources.
   */
  evaluate(points: readonly DataPoint[], fx: BatchEffects, events: readonly VigilEvent[] = [], source = '', now = 0): void {
    this.marks.beginBatch(source, now);
    this.now = now;
    this.fx = fx;
    this.source = source;
    let p = 0;
    let e = 0;
    while (p < points.length || e < events.length) {
      const isPoint = e >= events.length || (p < points.length && points[p]!.ts <= events[e]!.ts);
      const point = isPoint ? points[p++]! : undefined;
      const event = isPoint ? undefined : events[e++]!;
      const ts = point ? point.ts : event!.ts;
      const w = this.marks.observe(ts);
      if (w > this.released) this.release(w, fx);
      if (ts < w) {
        fx.late++;
        this.countLate(point ? { point } : { event: event! }, source);
        continue;
      }
      this.needsOrder = false;
      if (point) {
        this.point = point;
        this.router.matchPoint(point, this.visitPoint);
        if (this.needsOrder) this.buffer.add({ point }, ts, source);
      } else {
        this.event = event!;
        this.router.matchEvent(event!, this.visitEvent);
        if (this.needsOrder) this.buffer.add({ event: event! }, ts, source);
      }
    }
    // Do not keep the batch (and everything it touched) alive until the next one.
    this.fx = IDLE_EFFECTS;
    this.point = undefined;
    this.event = undefined;
  }

  /** Advances idle sources by the wall clock and releases what became final. */
  tick(now: number, fx: BatchEffects): void {
    this.now = now;
    const w = this.marks.tick(now);
    if (w > this.released) this.release(w, fx);
  }

  private readonly visitPoint = (sub: MetricSub): void => {
    const point = this.point!;
    if (sub.kind === 'point') {
      // Point rules see items in event-time order: an item ahead of the watermark waits in the buffer.
      if (point.ts <= this.released) sub.host.onPoint(point, this.fx);
      else this.needsOrder = true;
      return;
    }
    if (!sub.host.onSample(sub.input, point.value, point.ts, point.tags, undefined, point.name, this.released, this.fx)) this.late.bump(sub.host.rule.name, this.source);
    this.schedule(sub.host);
  };

  private readonly visitEvent = (sub: EventSub): void => {
    const event = this.event!;
    if (sub.kind === 'sequence') {
      if (event.ts <= this.released) sub.host.onEvent(event, this.fx);
      else this.needsOrder = true;
      return;
    }
    if (!sub.host.onSample(sub.input, 1, event.ts, event.tags, (k) => sub.match.attribute(event, k), event.type, this.released, this.fx)) this.late.bump(sub.host.rule.name, this.source);
    this.schedule(sub.host);
  };

  private dispatchOrdered(item: Ordered, fx: BatchEffects): void {
    if (item.point) {
      const point = item.point;
      this.router.matchPoint(point, (sub) => {
        if (sub.kind === 'point') sub.host.onPoint(point, fx);
      });
    } else {
      const event = item.event;
      this.router.matchEvent(event, (sub) => {
        if (sub.kind === 'sequence') sub.host.onEvent(event, fx);
      });
    }
  }

  /** Releases, in event-time order, step closes, then deadlines, then held items, up to `watermark`. */
  private release(watermark: number, fx: BatchEffects): void {
    for (;;) {
      const tStep = this.stepEnds.peekAt();
      const tDeadline = this.deadlines.peekAt();
      const tItem = this.buffer.peekTs();
      const t = Math.min(tStep, tDeadline, tItem);
      if (t > watermark) break;
      if (tStep === t) this.closeStep(this.stepEnds.popDue(t)!.actorId, t, fx);
      else if (tDeadline === t) {
        const d = this.deadlines.popDue(t)!;
        const rule = ruleOfActorId(d.actorId);
        if (rule !== undefined) this.hosts.get(rule)?.onDeadline(d.actorId, d.at, fx);
      } else this.dispatchOrdered(this.buffer.shift()!, fx);
    }
    this.released = watermark;
  }

  private closeStep(rule: string, at: number, fx: BatchEffects): void {
    const host = this.hosts.get(rule);
    if (!(host instanceof StepHost) || this.scheduled.get(rule) !== at) return;
    this.scheduled.delete(rule);
    host.closeByWatermark(at / host.stepMs - 1, fx);
    recordStepClose(at, this.now);
    this.schedule(host);
  }

  private schedule(host: StepHost): void {
    if (this.scheduled.has(host.rule.name)) return;
    const at = host.nextClose();
    if (at === undefined) return;
    this.scheduled.set(host.rule.name, at);
    this.stepEnds.push({ at, actorId: host.rule.name });
  }

  private reload(host: StepHost): void {
    const prefix = `alert/${host.rule.name}/`;
    const range = this.loader.getRange?.({ start: prefix, end: `${prefix}\uffff` }) ?? [];
    const records = (function* () {
      for (const { value } of range) yield upgradeRecord(value)!;
    })();
    host.reload(records, this.marks.current);
    this.scheduled.delete(host.rule.name);
    this.schedule(host);
  }

  private removeHost(name: string): void {
    this.hosts.delete(name);
    this.router.remove(name);
    this.scheduled.delete(name);
  }

  /** Counts a late item once for every rule that would have used it (a rule may select it through several inputs). */
  private countLate(item: Ordered, source: string): void {
    const rules = new Set<string>();
    if (item.point) this.router.matchPoint(item.point, (sub) => rules.add(sub.host.rule.name));
    else this.router.matchEvent(item.event, (sub) => rules.add(sub.host.rule.name));
    if (rules.size === 0) rules.add('');
    for (const rule of rules) this.late.bump(rule, source);
  }
}

/** Reads a stored record of any version (older snapshots are upgraded). */
function upgradeRecord(rec: AlertRecord | undefined): AlertRecord | undefined {
  if (!rec) return undefined;
  const snapshot = restoreAlertSnapshot(rec.snapshot);
  return snapshot === rec.snapshot ? rec : { ...rec, snapshot };
}
