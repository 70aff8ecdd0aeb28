/**
 * The planner: committed-to-be events in, outbox writes out. The engine puts
 * the writes in the same LMDB transaction as the transitions that caused
 * them, so a notification exists exactly when its transition does.
 *
 * It is also where the outbox size limit applies: a notification for a
 * receiver whose share of the outbox is full is written to the archive
 * instead (reason OUTBOX_FULL), in the same transaction. The batch commit
 * never fails and never waits because a receiver is down.
 */
import type { Clock } from '../core/index.js';
import type { TableWrite } from '../store/index.js';
import { DeliveryErrorCodes } from './errors.js';
import { OUTBOX_RECORD_VERSION, type ArchivedRecord, type DeliverableEvent, type Notification, type PendingRecord } from './model.js';
import { toNotification } from './notifications.js';
import type { Outbox } from './outbox.js';
import { resolveRoutes, type Route, type RouteMatch } from './routing.js';

export interface PlannerOptions {
  readonly outbox: Outbox;
  readonly route: Route;
  readonly clock: Clock;
  /** Receivers that exist, with their `maxOutboxEntries`; routes to others are skipped (config validation already refuses them). */
  readonly limits: ReadonlyMap<string, number>;
  /** Notifications a receiver has in the outbox as committed so far (pending and queued). */
  readonly occupancy: (receiver: string) => number;
}

export interface Plan {
  /** For `CommitBatch.writes`. */
  readonly writes: TableWrite[];
  /** What the writes queue, for the dispatcher once they are committed. */
  readonly admitted: PendingRecord[];
  /** What the writes archive because the receiver's share of the outbox was full. */
  readonly overflow: ArchivedRecord[];
}

/**
 * Firing notifications stop queueing at the limit; resolves and
 * acknowledgements go on queueing up to this many times the limit, so a
 * receiver that was told about a problem also hears that it is over.
 */
export const closingHeadroom = 2;

/** One pending outbox record per (notification, receiver it routes to), or an archive record when that receiver's share is full. */
export function planDeliveries(events: readonly DeliverableEvent[], options: PlannerOptions): Plan {
  const plan: Plan = { writes: [], admitted: [], overflow: [] };
  const createdAt = options.clock.now();
  const added = new Map<string, number>();
  for (const event of events) {
    const notification = toNotification(event);
    if (!notification) continue;
    for (const m of resolveRoutes(options.route, notification.labels)) {
      const limit = options.limits.get(m.receiver);
      if (limit === undefined) continue;
      const occupied = options.occupancy(m.receiver) + (added.get(m.receiver) ?? 0);
      const room = notification.status === 'firing' ? limit : limit * closingHeadroom;
      if (occupied >= room) {
        const archived = overflowRecord(m, notification, createdAt, limit);
        plan.overflow.push(archived);
        plan.writes.push(options.outbox.archiveWrite(archived));
        continue;
      }
      added.set(m.receiver, (added.get(m.receiver) ?? 0) + 1);
      const record: PendingRecord = {
        kind: 'pending',
        v: OUTBOX_RECORD_VERSION,
        receiver: m.receiver,
        route: m.route,
        groupKey: m.groupKey,
        groupLabels: m.groupLabels,
        policy: m.policy,
        notification,
        createdAt,
      };
      plan.admitted.push(record);
      plan.writes.push(options.outbox.pendingWrite(record));
    }
  }
  return plan;
}

/** The archive entry of a notification that found its receiver's outbox full: listed and retried like any archived delivery. */
function overflowRecord(m: RouteMatch, n: Notification, at: number, limit: number): ArchivedRecord {
  return {
    kind: 'archived',
    v: OUTBOX_RECORD_VERSION,
    id: `${m.receiver}:${n.key}`,
    receiver: m.receiver,
    key: n.key,
    groupKey: m.groupKey,
    groupLabels: m.groupLabels,
    lane: `${m.receiver}|${n.subject}`,
    order: [at, n.seq],
    repeat: false,
    notifications: [n],
    createdAt: at,
    attempts: 0,
    nextAttemptAt: at,
    archivedAt: at,
    reason: { code: DeliveryErrorCodes.OUTBOX_FULL, message: `receiver ${m.receiver} had ${limit} or more notifications in the outbox (maxOutboxEntries ${limit}); archived without sending` },
  };
}
