/**
 * The dispatcher: after commit, flushes due groups into deliveries and sends
 * them, one lane (group or subject of a receiver) in order, retrying with
 * backoff until sent, permanently rejected, or older than the maximum age
 * (then archived with the reason). Every receiver has its own concurrency
 * and rate limits, so one that is down only ever holds up its own lanes.
 *
 * Memory does not grow with the outbox: pending notifications are kept as
 * one summary per group (read from LMDB when the group flushes) and each
 * receiver's deliveries as a window over its queue in LMDB (QueueWindow).
 * All time comes from the injected clock and scheduler.
 */
import type { ObservableResult } from '@opentelemetry/api';
import type { Clock } from '../core/index.js';
import { traceDelivery, type Logger } from '../telemetry/index.js';
import { backoffMs } from './backoff.js';
import { defaultRetryPolicy, type ReceiverConfig } from './config.js';
import { DeliveryErrorCodes, toDeliveryError } from './errors.js';
import { GroupFlusher, plannedId } from './group-flusher.js';
import { lanesOf } from './lanes.js';
import type { ArchivedRecord, ArchiveReason, AttemptError, DeliveryRecord } from './model.js';
import type { Outbox } from './outbox.js';
import { OutboxShares } from './outbox-shares.js';
import type { Plan } from './planner.js';
import { QueueWindow } from './queue-window.js';
import { RateLimiter } from './rate-limiter.js';
import type { Receiver } from './receivers/index.js';
import type { Scheduler } from './scheduler.js';
import { deliveryInstruments, OutcomeCounter, queuedGauge, receiverStats, type ReceiverStats } from './stats.js';

export interface ConfiguredReceiver {
  readonly receiver: Receiver;
  readonly config: ReceiverConfig;
}

export interface DispatcherOptions {
  readonly outbox: Outbox;
  readonly receivers: ReadonlyMap<string, ConfiguredReceiver>;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Source of jitter. @default Math.random */
  readonly random?: () => number;
  /** Deliveries per receiver held in memory; the rest wait in LMDB. @default 256 */
  readonly windowPerReceiver?: number;
  /** Pending notifications turned into deliveries per LMDB transaction, for receivers that take one notification per message. @default 1000 */
  readonly flushChunk?: number;
}

interface Runtime extends ConfiguredReceiver {
  active: number;
  readonly limiter: RateLimiter;
}

/** After an LMDB failure inside a pump, look again this much later. */
const pumpRetryMs = 1000;

export class Dispatcher {
  private readonly flusher: GroupFlusher;
  private readonly windows = new Map<string, QueueWindow>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly counter = new OutcomeCounter();
  private readonly lastErrors = new Map<string, AttemptError>();
  private readonly shares: OutboxShares;
  private readonly random: () => number;
  private readonly windowSize: number;
  /** The last plan, until `wake` says it is committed. Its records are in LMDB but not yet ours to flush. */
  private planned: { plan: Plan; ids: Set<string> } | undefined;
  private abort = new AbortController();
  private running = false;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private cancelTimer: (() => void) | undefined;
  private readonly observeQueued = (result: ObservableResult): void => {
    for (const s of this.stats()) result.observe(s.queued, { receiver: s.receiver });
  };

  constructor(private readonly options: DispatcherOptions) {
    this.random = options.random ?? Math.random;
    this.windowSize = Math.max(1, options.windowPerReceiver ?? 256);
    this.shares = new OutboxShares({
      limitOf: (r) => this.runtime.get(r)?.config.limits.maxOutboxEntries,
      occupancy: (r) => this.occupancy(r),
      counter: this.counter,
      log: options.log,
    });
    this.flusher = new GroupFlusher({
      outbox: options.outbox,
      batches: (r) => this.runtime.get(r)?.receiver.batches ?? false,
      chunk: Math.max(1, options.flushChunk ?? 1000),
      onDeliveries: (r, deliveries) => {
        for (const d of deliveries) this.window(r).added(d);
      },
    });
    const now = options.clock.now();
    for (const [name, r] of options.receivers) {
      const { ratePerSecond } = r.config.limits;
      this.runtime.set(name, { ...r, active: 0, limiter: new RateLimiter(ratePerSecond, Math.max(1, Math.ceil(ratePerSecond)), now) });
    }
  }

  /** Loads the outbox as left by the last run (a summary per group, a window per receiver) and starts sending. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.planned = undefined;
    this.flusher.load(this.runtime.keys());
    this.windows.clear();
    for (const name of new Set([...this.runtime.keys(), ...this.options.outbox.receivers()])) this.window(name).refill();
    queuedGauge.addCallback(this.observeQueued);
    this.pump();
  }

  /** Notifications a receiver has in the outbox (pending and queued), as committed and announced by `wake`. */
  occupancy(receiver: string): number {
    return this.flusher.waiting(receiver) + this.window(receiver).total;
  }

  /** Remembers what the engine is about to commit; `wake` takes it on once the commit is durable. */
  stage(plan: Plan): void {
    this.planned = plan.admitted.length > 0 || plan.overflow.length > 0 ? { plan, ids: new Set(plan.admitted.map(plannedId)) } : undefined;
  }

  /** Takes on the notifications of the last plan, now committed. Call after every commit that carried planned writes. */
  wake(): void {
    const planned = this.planned;
    this.planned = undefined;
    if (planned) this.takeOn(planned.plan);
    this.pump();
  }

  /** Stops timers and aborts attempts in flight; what was not sent stays in the outbox for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.abort.abort();
    queuedGauge.removeCallback(this.observeQueued);
    await this.idle();
  }

  /** Resolves once no pump and no attempt is running (tests drive time, then wait for this). */
  async idle(): Promise<void> {
    while (this.pumping || this.inFlight.size > 0) await Promise.allSettled([this.pumping, ...this.inFlight.values()]);
  }

  /** Receivers with a queue: configured ones and any the outbox still names. */
  receiverNames(): string[] {
    return [...this.windows.keys()];
  }

  isInFlight(id: string): boolean {
    return this.inFlight.has(id);
  }

  /** Sends a queued delivery now, or brings an archived one back; undefined when neither exists. */
  async retry(id: string): Promise<DeliveryRecord | undefined> {
    const now = this.options.clock.now();
    const queued = this.options.outbox.getDelivery(id);
    let d: DeliveryRecord | undefined;
    if (queued) {
      d = { ...queued, nextAttemptAt: now };
      await this.options.outbox.saveDelivery(d);
      this.window(d.receiver).updated(d);
    } else {
      d = await this.options.outbox.restoreFromArchive(id, now);
      if (d) this.window(d.receiver).added(d);
    }
    if (!d) return undefined;
    this.pump();
    return d;
  }

  stats(): ReceiverStats[] {
    const now = this.options.clock.now();
    const receivers = [...this.windows.values()].map((w) => {
      const rt = this.runtime.get(w.receiver);
      let oldest = Infinity;
      for (const d of w.items.values()) oldest = Math.min(oldest, d.createdAt);
      const fullSince = this.shares.since(w.receiver);
      return {
        name: w.receiver,
        type: rt?.receiver.type ?? 'unknown',
        inFlight: rt?.active ?? 0,
        queued: w.total,
        waiting: this.flusher.waiting(w.receiver),
        oldestQueuedAt: oldest,
        maxOutboxEntries: this.shares.limit(w.receiver),
        ...(fullSince !== undefined ? { fullSince } : {}),
      };
    });
    return receiverStats({ receivers, counter: this.counter, lastErrors: this.lastErrors, now });
  }

  private window(receiver: string): QueueWindow {
    let w = this.windows.get(receiver);
    if (!w) this.windows.set(receiver, (w = new QueueWindow(receiver, this.options.outbox, this.windowSize)));
    return w;
  }

  private takeOn(plan: Plan): void {
    const { outbox } = this.options;
    const [pending] = plan.admitted;
    const [archived] = plan.overflow;
    // A plan whose commit failed never reached LMDB: nothing to take on.
    if (pending ? !outbox.isPending(pending) : archived && !outbox.isArchived(archived.id)) return;
    this.flusher.take(plan.admitted);
    this.shares.overflowed(plan.overflow);
  }

  private pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.runPump()
      .catch((e: unknown) => {
        this.options.log('error', 'delivery dispatcher failed; trying again', { error: (e as Error).message });
        this.arm(this.options.clock.now() + pumpRetryMs);
      })
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async runPump(): Promise<void> {
    const now = this.options.clock.now();
    if (await this.flusher.flushDue(now, () => this.planned?.ids)) this.pumpAgain = true;
    let next = Infinity;
    for (const w of this.windows.values()) {
      w.refill();
      await this.archiveExpired(w, now);
      next = Math.min(next, await this.sendDue(w, now));
      w.refill();
      for (const d of w.items.values()) if (!this.inFlight.has(d.id)) next = Math.min(next, d.createdAt + this.maxAgeOf(d.receiver));
      this.shares.check(w.receiver, now);
    }
    next = Math.min(next, this.flusher.nextDue());
    if (next <= now) this.pumpAgain = true;
    else if (Number.isFinite(next)) this.arm(next);
  }

  /** Starts the attempts that are due in one receiver's window; returns when the next one will be. */
  private async sendDue(w: QueueWindow, now: number): Promise<number> {
    let next = Infinity;
    const rt = this.runtime.get(w.receiver);
    for (const lane of lanesOf(w.items.values())) {
      const head = lane[0]!;
      if (this.inFlight.has(head.id)) continue;
      if (!rt) {
        await this.archive(head, { code: DeliveryErrorCodes.RECEIVER_UNKNOWN, message: `no receiver named "${head.receiver}" is configured` });
        next = now;
        continue;
      }
      if (head.nextAttemptAt > now) {
        next = Math.min(next, head.nextAttemptAt);
        continue;
      }
      // A full receiver is woken by its own attempts finishing, not by a timer.
      if (rt.active >= rt.config.limits.maxConcurrent) break;
      if (!rt.limiter.tryTake(now)) {
        next = Math.min(next, rt.limiter.nextTokenAt(now));
        break;
      }
      this.attempt(head, rt);
    }
    return next;
  }

  private arm(at: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.options.scheduler.schedule(at - this.options.clock.now(), () => {
      this.cancelTimer = undefined;
      this.pump();
    });
  }

  private async archiveExpired(w: QueueWindow, now: number): Promise<void> {
    for (const d of [...w.items.values()]) {
      if (this.inFlight.has(d.id)) continue;
      const maxAgeMs = this.maxAgeOf(d.receiver);
      if (now < d.createdAt + maxAgeMs) continue;
      const last = d.lastError ? `; last error: ${d.lastError.message}` : '';
      await this.archive(d, { code: DeliveryErrorCodes.EXPIRED, message: `not delivered within its maximum age of ${maxAgeMs} ms after ${d.attempts} attempt(s)${last}` });
    }
  }

  private maxAgeOf(receiver: string): number {
    return this.runtime.get(receiver)?.config.retry.maxAgeMs ?? defaultRetryPolicy.maxAgeMs;
  }

  private attempt(d: DeliveryRecord, rt: Runtime): void {
    const attempt = d.attempts + 1;
    const name = rt.receiver.name;
    if (d.attempts > 0) this.counter.record(name, 'retried');
    rt.active++;
    let released = false;
    // The receiver's slot frees as soon as it answered; the delivery keeps its lane until the outcome is written.
    const release = (): void => {
      if (released) return;
      released = true;
      rt.active--;
      this.pump();
    };
    const signal = this.abort.signal;
    const run = async (): Promise<void> => {
      const started = performance.now();
      try {
        await traceDelivery({ receiver: name, delivery: d.id, attempt, notifications: d.notifications }, () =>
          rt.receiver.send({ id: d.id, key: d.key, receiver: name, groupKey: d.groupKey, groupLabels: d.groupLabels, repeat: d.repeat, notifications: d.notifications, attempt }, signal),
        );
      } catch (e) {
        release();
        // Stopping aborts attempts; the record stays as it was and is tried again after the next start.
        if (signal.aborted) return;
        await this.failed(d, rt, attempt, e);
        return;
      }
      release();
      deliveryInstruments.attemptDuration.record(performance.now() - started, { receiver: name });
      this.counter.record(name, 'sent');
      // If Vigil dies before this removal lands, the delivery is sent again with the same key: receivers drop it.
      // Its lane waits for the removal, so after a crash nothing newer of that lane has gone out before it.
      await this.options.outbox.removeDelivery(d);
      this.window(d.receiver).removed(d.id);
      this.options.log('debug', 'delivered', { receiver: name, delivery: d.id, attempt });
    };
    const p = run()
      .catch((e: unknown) => this.options.log('error', 'recording a delivery outcome failed', { receiver: name, delivery: d.id, error: (e as Error).message }))
      .finally(() => {
        release();
        this.inFlight.delete(d.id);
        this.pump();
      });
    this.inFlight.set(d.id, p);
  }

  private async failed(d: DeliveryRecord, rt: Runtime, attempt: number, e: unknown): Promise<void> {
    const name = rt.receiver.name;
    const err = toDeliveryError(name, e);
    const now = this.options.clock.now();
    const lastError: AttemptError = { code: err.deliveryCode, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}), at: now };
    this.lastErrors.set(name, lastError);
    if (!err.retriable) {
      this.counter.record(name, 'failed_permanent');
      this.options.log('warn', 'delivery rejected; archiving', { receiver: name, delivery: d.id, code: err.deliveryCode, error: err.message });
      await this.archive({ ...d, attempts: attempt, lastError }, { code: err.deliveryCode, message: err.message });
      return;
    }
    this.counter.record(name, 'failed_temporary');
    const waitMs = Math.max(backoffMs(attempt, rt.config.retry, this.random), err.retryAfterMs ?? 0);
    const next: DeliveryRecord = { ...d, attempts: attempt, nextAttemptAt: now + waitMs, lastError };
    this.options.log('warn', 'delivery failed; will retry', { receiver: name, delivery: d.id, code: err.deliveryCode, error: err.message, attempt, retryInMs: waitMs });
    const w = this.window(d.receiver);
    if (!w.items.has(d.id)) return;
    w.updated(next);
    await this.options.outbox.saveDelivery(next);
  }

  private async archive(d: DeliveryRecord, reason: ArchiveReason): Promise<ArchivedRecord> {
    const archived = await this.options.outbox.moveToArchive(d, reason, this.options.clock.now());
    this.window(d.receiver).removed(d.id);
    this.counter.record(d.receiver, 'archived');
    this.options.log('warn', 'delivery archived', { receiver: d.receiver, delivery: d.id, code: reason.code, reason: reason.message });
    return archived;
  }
}
