/**
 * The crash harness's view of planned notifications: what the outbox and the
 * archive hold for each receiver, reduced to what must not depend on when
 * the process died — each notification's idempotency key and content —
 * leaving out attempts, backoff and wall-clock stamps.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/index.js';
import { createDelivery, ManualScheduler, parseDeliveryConfig, ReceiverUnavailableError, type Delivery, type DeliveryConfig, type Notification, type Receiver } from '../../src/deliver/index.js';
import type { Store } from '../../src/store/index.js';

/**
 * One receiver that never succeeds (nothing listens on port 9 of 127.0.0.1
 * here), one notification per delivery, no reminders: what the outbox holds
 * depends on the alert transitions only, not on how flushes fell in time.
 */
export const crashDelivery = {
  retry: { initialBackoffMs: 60_000, maxBackoffMs: 60_000, maxAgeMs: 86_400_000 },
  receivers: [{ name: 'pager', type: 'pagerduty', routingKey: 'crash-harness', url: 'http://127.0.0.1:9/v2/enqueue', timeoutMs: 1000 }],
  route: { receiver: 'pager', groupBy: ['node'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0 },
};

/** Writes a `vigil serve --config` file with the delivery section above. */
export function writeCrashConfig(dir: string): string {
  const path = join(dir, 'crash-config.json');
  // JSON is YAML.
  writeFileSync(path, JSON.stringify({ delivery: crashDelivery }));
  return path;
}

export function crashDeliveryConfig(): DeliveryConfig {
  return parseDeliveryConfig(crashDelivery, {});
}

const down: Receiver = {
  name: 'pager',
  type: 'pagerduty',
  batches: false,
  send: async () => {
    throw new ReceiverUnavailableError('pager', 'down');
  },
};

/** A dispatcher on `store` whose receiver is down, on a manual clock far enough ahead that every group is due. */
export function offlineDelivery(store: Pick<Store, 'openTable'>, clock = new ManualClock(Date.now() + 60_000)): Delivery {
  return createDelivery({ store, config: crashDeliveryConfig(), clock, scheduler: new ManualScheduler(clock), receivers: new Map([['pager', down]]) });
}

function describe(where: string, receiver: string, n: Notification): string {
  const { key, seq, subject, kind, status, change, labels, annotations, title, value, startsAt, endsAt } = n;
  return JSON.stringify({ receiver, key, where, seq, subject, kind, status, change, labels, annotations, title, value, startsAt, endsAt });
}

/**
 * Flushes whatever the last run left waiting for its group (as the next start
 * would), then lists every planned notification, queued or archived, sorted.
 * Nothing lost and nothing duplicated means equal lists.
 */
export async function plannedNotifications(store: Pick<Store, 'openTable'>): Promise<string[]> {
  const delivery = offlineDelivery(store);
  delivery.start();
  await delivery.idle();
  const out: string[] = [];
  for (const d of delivery.list({ limit: 10_000_000 })) for (const n of d.notifications) out.push(describe(d.state === 'waiting' ? 'waiting' : 'queued', d.receiver, n));
  for (const d of delivery.list({ archived: true, limit: 10_000_000 })) for (const n of d.notifications) out.push(describe(`archived:${d.reason?.code}`, d.receiver, n));
  await delivery.stop();
  return out.sort();
}

/** The first entries of sorted list `a` that `b` does not hold as often (a readable difference when the lists differ). */
export function onlyIn(a: readonly string[], b: readonly string[], most = 5): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else if (out.push(x) >= most) break;
  }
  return out;
}
