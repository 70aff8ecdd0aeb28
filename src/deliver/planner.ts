/**
 * The planner: committed-to-be events in, outbox writes out. The engine puts
 * the writes in the same LMDB transaction as the transitions that caused
 * them, so a notification exists exactly when its transition does.
 */
import type { Clock } from '../core/index.js';
import type { TableWrite } from '../store/index.js';
import { OUTBOX_RECORD_VERSION, type DeliverableEvent, type PendingRecord } from './model.js';
import { toNotification } from './notifications.js';
import { pendingKey, type Outbox } from './outbox.js';
import { resolveRoutes, type Route } from './routing.js';

export interface PlannerOptions {
  readonly outbox: Outbox;
  readonly route: Route;
  readonly clock: Clock;
  /** Receivers that exist; routes to others are skipped (config validation already refuses them). */
  readonly receivers: ReadonlySet<string>;
}

/** One pending outbox record per (notification, receiver it routes to). */
export function planDeliveries(events: readonly DeliverableEvent[], options: PlannerOptions): TableWrite[] {
  const writes: TableWrite[] = [];
  const createdAt = options.clock.now();
  for (const event of events) {
    const notification = toNotification(event);
    if (!notification) continue;
    for (const m of resolveRoutes(options.route, notification.labels)) {
      if (!options.receivers.has(m.receiver)) continue;
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
      writes.push(options.outbox.write(pendingKey(m.receiver, notification.key), record));
    }
  }
  return writes;
}
