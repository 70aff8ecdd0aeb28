/**
 * Notification policy of one group, as pure functions of its records and the
 * time: when the group is due (group wait for a new group, group interval
 * after a flush, repeat interval while something still fires), and what a
 * flush turns its pending notifications into.
 */
import { createHash } from 'node:crypto';
import { OUTBOX_RECORD_VERSION, type DeliveryRecord, type GroupRecord, type Notification, type PendingRecord } from './model.js';

/** What `groupDueAt` needs of a group's pending notifications: how many, the oldest commit, the latest policy. */
export interface PendingState {
  readonly count: number;
  readonly oldest: number;
  readonly policy: PendingRecord['policy'];
}

/** Wall-clock ms at which the group needs a flush; undefined when it never will on its own. */
export function groupDueAt(group: GroupRecord | undefined, pending: PendingState | undefined): number | undefined {
  if (pending && pending.count > 0) {
    const { policy, oldest } = pending;
    // A group with nothing firing is over (as in Alertmanager): the next alert starts a new one and waits group wait.
    if (!group || group.firing.length === 0) return oldest + policy.groupWaitMs;
    return Math.max(oldest, group.lastFlushAt + policy.groupIntervalMs);
  }
  if (group && group.firing.length > 0 && group.policy.repeatIntervalMs > 0) return group.lastFlushAt + group.policy.repeatIntervalMs;
  return undefined;
}

export interface FlushResult {
  /** The group's new record, or null when nothing fires any more and the record can go. */
  readonly group: GroupRecord | null;
  readonly deliveries: DeliveryRecord[];
}

export interface FlushInput {
  readonly receiver: string;
  readonly groupKey: string;
  readonly group: GroupRecord | undefined;
  readonly pending: readonly PendingRecord[];
  /** Whether the receiver takes several notifications in one message. */
  readonly batches: boolean;
  readonly now: number;
}

/** Flushes a due group: its pending notifications (or, with none, a repeat of what still fires) become deliveries. */
export function flushGroup(input: FlushInput): FlushResult {
  const { group, now } = input;
  const pending = [...input.pending].sort((a, b) => a.notification.seq - b.notification.seq);
  const latest = pending[pending.length - 1];
  const policy = latest?.policy ?? group!.policy;
  const groupLabels = latest?.groupLabels ?? group!.groupLabels;
  const firing = new Map((group?.firing ?? []).map((n) => [n.subject, n]));
  const outgoing: Notification[] = [];
  for (const p of pending) {
    let n = p.notification;
    const before = firing.get(n.subject);
    // The event only knows its own time; the group remembers when the subject started firing.
    if (before) n = { ...n, startsAt: before.startsAt };
    if (n.status === 'resolved') firing.delete(n.subject);
    else firing.set(n.subject, n);
    if (n.status !== 'resolved' || policy.sendResolved) outgoing.push(n);
  }
  const repeat = pending.length === 0;
  const repeats = repeat ? (group?.repeats ?? 0) + 1 : 0;
  let toSend = repeat ? [...firing.values()] : outgoing;
  if (input.batches && !repeat && outgoing.length > 0) {
    // Like Alertmanager, a group message shows the whole group: what changed plus what still fires.
    const changed = new Set(outgoing.map((n) => n.subject));
    toSend = [...outgoing, ...[...firing.values()].filter((n) => !changed.has(n.subject))].sort((a, b) => a.seq - b.seq);
  }
  const createdAt = repeat ? now : pending.reduce((min, p) => Math.min(min, p.createdAt), Infinity);
  const base = { receiver: input.receiver, groupKey: input.groupKey, groupLabels, createdAt, now, repeat, repeats };
  const deliveries = input.batches ? (toSend.length > 0 ? [makeDelivery(base, toSend, `${input.receiver}|${input.groupKey}`)] : []) : toSend.map((n) => makeDelivery(base, [n], `${input.receiver}|${n.subject}`));
  const nextGroup: GroupRecord | null =
    firing.size === 0
      ? null
      : { kind: 'group', v: OUTBOX_RECORD_VERSION, receiver: input.receiver, groupKey: input.groupKey, groupLabels, policy, lastFlushAt: now, repeats, firing: [...firing.values()] };
  return { group: nextGroup, deliveries };
}

interface DeliveryBase {
  receiver: string;
  groupKey: string;
  groupLabels: DeliveryRecord['groupLabels'];
  createdAt: number;
  now: number;
  repeat: boolean;
  repeats: number;
}

function makeDelivery(base: DeliveryBase, notifications: Notification[], lane: string): DeliveryRecord {
  const key = deliveryKeyOf(notifications, base.repeat ? base.repeats : 0);
  return {
    kind: 'delivery',
    v: OUTBOX_RECORD_VERSION,
    id: `${base.receiver}:${key}`,
    receiver: base.receiver,
    key,
    groupKey: base.groupKey,
    groupLabels: base.groupLabels,
    lane,
    order: [base.now, notifications.reduce((max, n) => Math.max(max, n.seq), 0)],
    repeat: base.repeat,
    notifications,
    createdAt: base.createdAt,
    attempts: 0,
    nextAttemptAt: base.now,
  };
}

/**
 * The idempotency key of a delivery: the transition key when it carries one
 * notification, a digest of all of them otherwise; `~repeat<n>` marks the
 * n-th reminder of the same state. Same content, same key, on every retry
 * and after any restart, because the delivery record is frozen at flush.
 */
export function deliveryKeyOf(notifications: readonly Notification[], repeat: number): string {
  const suffix = repeat > 0 ? `~repeat${repeat}` : '';
  if (notifications.length === 1) return `${notifications[0]!.key}${suffix}`;
  const digest = createHash('sha256')
    .update(
      notifications
        .map((n) => n.key)
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 24);
  return `group/${digest}${suffix}`;
}
