/**
 * Deliver: gets every notification to the tools people use, exactly as often
 * as it should arrive, even when those tools are down or Vigil restarts.
 *
 * The flow: `plan(events)` turns a batch's alert/incident events into outbox
 * writes that the engine commits in the batch's own LMDB transaction; after
 * the commit, `wake()` lets the dispatcher group them (group wait, group
 * interval, repeat interval), freeze each message as a delivery with a
 * deterministic idempotency key, and send it with retries, backoff and
 * per-receiver limits, archiving what is permanently rejected or too old.
 *
 * Wiring (engine / `vigil serve` / CLI):
 *
 *   const delivery = createDelivery({ store, config: parseDeliveryConfig(yaml.delivery, process.env), clock: systemClock, log });
 *   delivery.start();                                       // after Engine.open
 *   const writes = delivery.plan(fx.events);                // in Engine.commit, into CommitBatch.writes
 *   await store.commit({ ..., writes }); delivery.wake();   // after the commit is durable
 *   delivery.list({ archived: true }); await delivery.retry(id); delivery.stats();   // CLI / admin API
 *   await delivery.stop();                                  // before store.close()
 */
import { systemClock, type Clock } from '../core/index.js';
import type { Key } from 'lmdb';
import type { Store, TableWrite } from '../store/index.js';
import { silentLogger, type Logger } from '../telemetry/index.js';
import type { DeliveryConfig } from './config.js';
import { Dispatcher, type ConfiguredReceiver } from './dispatcher.js';
import { DeliveryNotFoundError } from './errors.js';
import type { ArchivedRecord, DeliverableEvent, DeliveryRecord, Notification, OutboxRecord, PendingRecord } from './model.js';
import { Outbox } from './outbox.js';
import { planDeliveries } from './planner.js';
import { receiverTypes, type Receiver } from './receivers/index.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import type { ReceiverStats } from './stats.js';

export { parseDeliveryConfig, defaultRetryPolicy, defaultLimits, defaultPolicy, type DeliveryConfig, type ReceiverConfig, type RetryPolicy, type ReceiverLimits } from './config.js';
export { DeliveryError, DeliveryErrorCodes, DeliveryNotFoundError, DeliveryRejectedError, ReceiverRateLimitedError, ReceiverUnavailableError, type DeliveryErrorCode } from './errors.js';
export { ManualScheduler, systemScheduler, type Scheduler } from './scheduler.js';
export { deliveryInstruments, type ReceiverStats, type DeliveryOutcome } from './stats.js';
export { receiverTypes, type Receiver, type ReceiverContext, type ReceiverType } from './receivers/index.js';
export { compileTemplate, type Template } from './template.js';
export type { DeliverableEvent, DeliverableAlertEvent, IncidentEvent, IncidentMember, Notification, DeliveryRequest, ArchivedRecord, DeliveryRecord } from './model.js';

export interface DeliveryOptions {
  /** Where the `outbox` and `archive` tables live: the engine's Store. */
  readonly store: Pick<Store, 'openTable'>;
  /** From `parseDeliveryConfig(rawYaml.delivery, process.env)`. */
  readonly config: DeliveryConfig;
  /** Wall clock for max age, backoff and group timing. @default systemClock */
  readonly clock?: Clock;
  /** Timers. @default systemScheduler (unref'd setTimeout) */
  readonly scheduler?: Scheduler;
  /** @default silentLogger */
  readonly log?: Logger;
  /** Jitter source. @default Math.random */
  readonly random?: () => number;
  /** Receivers built by the caller instead of from config, by name (tests, embedding). */
  readonly receivers?: ReadonlyMap<string, Receiver>;
  /** Deliveries per receiver held in memory; the rest wait in LMDB and are read a page at a time. @default 256 */
  readonly windowPerReceiver?: number;
}

/** One row of `vigil deliveries ls`. */
export interface DeliveryListing {
  readonly id: string;
  readonly receiver: string;
  /** `waiting`: planned, its group has not flushed yet; `queued`: to be (re)tried; `sending`; `archived`. */
  readonly state: 'waiting' | 'queued' | 'sending' | 'archived';
  readonly key: string;
  readonly groupKey: string;
  readonly notifications: readonly Notification[];
  readonly attempts: number;
  /** Wall-clock ms. */
  readonly createdAt: number;
  readonly nextAttemptAt?: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
  readonly archivedAt?: number;
  readonly reason?: { readonly code: string; readonly message: string };
}

export interface Delivery {
  /**
   * Outbox writes for the events of one batch; put them in that batch's
   * `CommitBatch.writes`. Call once per commit: notifications for a receiver
   * whose share of the outbox is full become archive writes (OUTBOX_FULL).
   */
  plan(events: readonly DeliverableEvent[]): TableWrite[];
  /** Tells the dispatcher that the commit carrying the last plan is durable. */
  wake(): void;
  /** Loads undelivered work left in LMDB and starts sending. */
  start(): void;
  /** Stops sending; unsent work stays in the outbox. Closes receivers. */
  stop(): Promise<void>;
  list(options?: { archived?: boolean; limit?: number }): DeliveryListing[];
  /** Sends a queued delivery now, or moves an archived one back to the outbox with a fresh max age. */
  retry(id: string): Promise<DeliveryListing>;
  stats(): ReceiverStats[];
  /** Resolves when nothing is being flushed or sent (tests drive time, then await this). */
  idle(): Promise<void>;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const outbox = new Outbox(options.store.openTable<OutboxRecord | number | true, Key>('outbox'), options.store.openTable('archive'));
  const upgraded = outbox.upgrade();
  if (upgraded > 0) log('info', 'outbox moved to the current layout', { records: upgraded });
  const configured = new Map<string, ConfiguredReceiver>();
  for (const config of options.config.receivers) {
    const receiver = options.receivers?.get(config.name) ?? receiverTypes[config.type]!.create(config.name, config.options, { clock, log, timeoutMs: config.limits.timeoutMs });
    configured.set(config.name, { receiver, config });
  }
  const dispatcher = new Dispatcher({
    outbox,
    receivers: configured,
    clock,
    scheduler: options.scheduler ?? systemScheduler,
    log,
    ...(options.random ? { random: options.random } : {}),
    ...(options.windowPerReceiver !== undefined ? { windowPerReceiver: options.windowPerReceiver } : {}),
  });
  const limits = new Map(options.config.receivers.map((r) => [r.name, r.limits.maxOutboxEntries]));

  const listing = (d: DeliveryRecord | ArchivedRecord): DeliveryListing => ({
    id: d.id,
    receiver: d.receiver,
    state: d.kind === 'archived' ? 'archived' : dispatcher.isInFlight(d.id) ? 'sending' : 'queued',
    key: d.key,
    groupKey: d.groupKey,
    notifications: d.notifications,
    attempts: d.attempts,
    createdAt: d.createdAt,
    ...(d.kind === 'delivery' ? { nextAttemptAt: d.nextAttemptAt } : {}),
    ...(d.lastError ? { lastError: { code: d.lastError.code, message: d.lastError.message, at: d.lastError.at } } : {}),
    ...(d.kind === 'archived' ? { archivedAt: d.archivedAt, reason: d.reason } : {}),
  });
  const waitingListing = (p: PendingRecord): DeliveryListing => ({
    id: `${p.receiver}:${p.notification.key}`,
    receiver: p.receiver,
    state: 'waiting',
    key: p.notification.key,
    groupKey: p.groupKey,
    notifications: [p.notification],
    attempts: 0,
    createdAt: p.createdAt,
  });

  return {
    plan(events) {
      const plan = planDeliveries(events, { outbox, route: options.config.route, clock, limits, occupancy: (r) => dispatcher.occupancy(r) });
      dispatcher.stage(plan);
      return plan.writes;
    },
    wake: () => dispatcher.wake(),
    start: () => dispatcher.start(),
    async stop() {
      await dispatcher.stop();
      for (const { receiver } of configured.values()) await receiver.close?.();
    },
    list({ archived = false, limit = 1000 } = {}) {
      if (archived) return outbox.listArchived(limit).map(listing);
      const queued = dispatcher.receiverNames().flatMap((r) => outbox.pageDeliveries(r, undefined, limit));
      const rows = [...outbox.listPending(limit).map(waitingListing), ...queued.map(listing)];
      return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).slice(0, limit);
    },
    async retry(id) {
      const d = await dispatcher.retry(id);
      if (!d) throw new DeliveryNotFoundError(id);
      return listing(d);
    },
    stats: () => dispatcher.stats(),
    idle: () => dispatcher.idle(),
  };
}
