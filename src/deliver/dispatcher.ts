/**
 * The dispatcher: after commit, flushes due groups into deliveries and sends
 * them, one lane (group or subject of a receiver) in order, retrying with
 * backoff until sent, permanently rejected, or older than the maximum age
 * (then archived with the reason). Every receiver has its own concurrency
 * and rate limits, so one that is down only ever holds up its own lanes.
 * All time comes from the injected clock and scheduler.
 */
import type { ObservableResult } from '@opentelemetry/api';
import type { Clock } from '../core/index.js';
import type { Logger } from '../telemetry/index.js';
import { backoffMs } from './backoff.js';
import { defaultRetryPolicy, type ReceiverConfig } from './config.js';
import { DeliveryErrorCodes, toDeliveryError } from './errors.js';
import { flushGroup, groupDueAt } from './grouping.js';
import type { ArchivedRecord, ArchiveReason, AttemptError, DeliveryRecord, GroupRecord, PendingRecord } from './model.js';
import { lanesOf } from './lanes.js';
import { groupRecordKey, type Outbox } from './outbox.js';
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
}

interface Runtime extends ConfiguredReceiver {
  active: number;
  readonly limiter: RateLimiter;
}

const groupId = (receiver: string, groupKey: string): string => `${receiver}\u0000${groupKey}`;
/** After an LMDB failure inside a pump, look again this much later. */
const pumpRetryMs = 1000;

export class Dispatcher {
  private readonly groups = new Map<string, GroupRecord>();
  private readonly pending = new Map<string, Map<string, PendingRecord>>();
  private readonly deliveries = new Map<string, DeliveryRecord>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly counter = new OutcomeCounter();
  private readonly lastErrors = new Map<string, AttemptError>();
  private readonly random: () => number;
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
    const now = options.clock.now();
    for (const [name, r] of options.receivers) {
      const { ratePerSecond } = r.config.limits;
      this.runtime.set(name, { ...r, active: 0, limiter: new RateLimiter(ratePerSecond, Math.max(1, Math.ceil(ratePerSecond)), now) });
    }
  }

  /** Loads the outbox as left by the last run (undelivered entries included) and starts sending. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const contents = this.options.outbox.readAll();
    for (const g of contents.groups) this.groups.set(groupId(g.receiver, g.groupKey), g);
    for (const d of contents.deliveries) this.deliveries.set(d.id, d);
    for (const p of contents.pending) this.addPending(p);
    queuedGauge.addCallback(this.observeQueued);
    this.pump();
  }

  /** Picks up pending notifications committed since the last look. Call after every commit that carried planned writes. */
  wake(): void {
    if (!this.running) return;
    for (const p of this.options.outbox.readPending()) this.addPending(p);
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

  queued(): DeliveryRecord[] {
    return [...this.deliveries.values()];
  }

  waiting(): PendingRecord[] {
    return [...this.pending.values()].flatMap((m) => [...m.values()]);
  }

  isInFlight(id: string): boolean {
    return this.inFlight.has(id);
  }

  /** Sends a queued delivery now, or brings an archived one back; undefined when neither exists. */
  async retry(id: string): Promise<DeliveryRecord | undefined> {
    const now = this.options.clock.now();
    const queued = this.deliveries.get(id);
    let d: DeliveryRecord | undefined;
    if (queued) {
      d = { ...queued, nextAttemptAt: now };
      await this.options.outbox.saveDelivery(d);
    } else d = await this.options.outbox.restoreFromArchive(id, now);
    if (!d) return undefined;
    this.deliveries.set(id, d);
    this.pump();
    return d;
  }

  stats(): ReceiverStats[] {
    const receivers = [...this.runtime.values()].map((r) => ({ name: r.receiver.name, type: r.receiver.type, inFlight: r.active }));
    return receiverStats({ receivers, deliveries: [...this.deliveries.values()], counter: this.counter, lastErrors: this.lastErrors, now: this.options.clock.now() });
  }


  private addPending(p: PendingRecord): void {
    const id = groupId(p.receiver, p.groupKey);
    let m = this.pending.get(id);
    if (!m) this.pending.set(id, (m = new Map()));
    m.set(p.notification.key, p);
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
    await this.flushDueGroups(now);
    await this.archiveExpired(now);
    let next = Infinity;
    for (const lane of lanesOf(this.deliveries.values())) {
      const head = lane[0]!;
      if (this.inFlight.has(head.id)) continue;
      const rt = this.runtime.get(head.receiver);
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
      if (rt.active >= rt.config.limits.maxConcurrent) continue;
      if (!rt.limiter.tryTake(now)) {
        next = Math.min(next, rt.limiter.nextTokenAt(now));
        continue;
      }
      this.attempt(head, rt);
    }
    for (const [id, g] of this.groups) next = Math.min(next, groupDueAt(g, [...(this.pending.get(id)?.values() ?? [])]) ?? Infinity);
    for (const [id, m] of this.pending) if (!this.groups.has(id)) next = Math.min(next, groupDueAt(undefined, [...m.values()]) ?? Infinity);
    for (const d of this.deliveries.values()) if (!this.inFlight.has(d.id)) next = Math.min(next, d.createdAt + this.maxAgeOf(d.receiver));
    if (next <= now) this.pumpAgain = true;
    else if (Number.isFinite(next)) this.arm(next);
  }

  private arm(at: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.options.scheduler.schedule(at - this.options.clock.now(), () => {
      this.cancelTimer = undefined;
      this.pump();
    });
  }

  private async flushDueGroups(now: number): Promise<void> {
    const ids = new Set([...this.groups.keys(), ...this.pending.keys()]);
    for (const id of ids) {
      const group = this.groups.get(id);
      const pending = [...(this.pending.get(id)?.values() ?? [])];
      const due = groupDueAt(group, pending);
      if (due === undefined) {
        if (group && group.firing.length === 0) this.groups.delete(id);
        continue;
      }
      if (due > now) continue;
      const first = pending[0] ?? group!;
      const receiver = first.receiver;
      const groupKey = 'groupKey' in first ? first.groupKey : group!.groupKey;
      const rt = this.runtime.get(receiver);
      const result = flushGroup({ receiver, groupKey, group, pending, batches: rt?.receiver.batches ?? false, now });
      await this.options.outbox.flush(result.group, groupRecordKey(receiver, groupKey), result.deliveries, pending);
      if (result.group) this.groups.set(id, result.group);
      else this.groups.delete(id);
      // Only what was flushed: a wake() during the write may have added newer notifications to this group.
      const left = this.pending.get(id);
      for (const p of pending) left?.delete(p.notification.key);
      if (left?.size === 0) this.pending.delete(id);
      for (const d of result.deliveries) this.deliveries.set(d.id, d);
    }
  }

  private async archiveExpired(now: number): Promise<void> {
    for (const d of [...this.deliveries.values()]) {
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
    const signal = this.abort.signal;
    const run = async (): Promise<void> => {
      const started = performance.now();
      try {
        await rt.receiver.send({ id: d.id, key: d.key, receiver: name, groupKey: d.groupKey, groupLabels: d.groupLabels, repeat: d.repeat, notifications: d.notifications, attempt }, signal);
        deliveryInstruments.attemptDuration.record(performance.now() - started, { receiver: name });
        this.deliveries.delete(d.id);
        this.counter.record(name, 'sent');
        // If Vigil dies before this removal lands, the delivery is sent again with the same key: receivers drop it.
        await this.options.outbox.removeDelivery(d.id);
        this.options.log('debug', 'delivered', { receiver: name, delivery: d.id, attempt });
      } catch (e) {
        // Stopping aborts attempts; the record stays as it was and is tried again after the next start.
        if (signal.aborted) return;
        await this.failed(d, rt, attempt, e);
      }
    };
    const p = run()
      .catch((e: unknown) => this.options.log('error', 'recording a delivery outcome failed', { receiver: name, delivery: d.id, error: (e as Error).message }))
      .finally(() => {
        rt.active--;
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
    if (!this.deliveries.has(d.id)) return;
    this.deliveries.set(d.id, next);
    await this.options.outbox.saveDelivery(next);
  }

  private async archive(d: DeliveryRecord, reason: ArchiveReason): Promise<ArchivedRecord> {
    this.deliveries.delete(d.id);
    const archived = await this.options.outbox.moveToArchive(d, reason, this.options.clock.now());
    this.counter.record(d.receiver, 'archived');
    this.options.log('warn', 'delivery archived', { receiver: d.receiver, delivery: d.id, code: reason.code, reason: reason.message });
    return archived;
  }
}
