/**
 * The outbox and archive tables. The outbox holds four kinds of records,
 * told apart by the first element of their key:
 *   ['p', receiver, group key, createdAt, notification key]  pending: planned, waiting for its group to flush
 *   ['g', receiver, group key]                               group: what the group last sent (intervals, repeats)
 * (a group key longer than 256 characters goes by its sha256)
 *   ['d', delivery id]                                       delivery: a frozen message, retried until sent or archived
 *   ['q', receiver, flushed at, seq, delivery id]            queue index of deliveries, in sending order
 * plus ['v'], the layout version. Keys are ordered so that the dispatcher
 * reads a group's pending notifications oldest first and a receiver's
 * deliveries in sending order a page at a time: memory holds a window of
 * the outbox, never all of it. The archive holds given-up deliveries by id,
 * with the reason.
 */
import { createHash } from 'node:crypto';
import type { Database, Key } from 'lmdb';
import type { TableWrite } from '../store/index.js';
import type { ArchivedRecord, ArchiveReason, DeliveryRecord, GroupRecord, NotificationPolicy, OutboxRecord, PendingRecord } from './model.js';

export type OutboxKey = readonly [string, ...Array<string | number>];
/** Position of a delivery in its receiver's queue: `[flushed at, seq, id]`, the order lanes send in. */
export type QueuePosition = readonly [number, number, string];

/** Version 1 keyed pending records `['p', receiver, key]` and had no queue index. */
export const OUTBOX_LAYOUT_VERSION = 2;
const layoutKey: OutboxKey = ['v'];
/** Sorts after every string and number an outbox key holds. */
const high = '\uffff';

/** LMDB keys hold at most ~1,900 bytes; a group key of every label can be longer, so long ones go by digest. */
const longGroupKeyChars = 256;
export const groupKeyPart = (groupKey: string): string => (groupKey.length <= longGroupKeyChars ? groupKey : `sha256:${createHash('sha256').update(groupKey).digest('hex')}`);
export const pendingKey = (p: Pick<PendingRecord, 'receiver' | 'groupKey' | 'createdAt' | 'notification'>): OutboxKey => ['p', p.receiver, groupKeyPart(p.groupKey), p.createdAt, p.notification.key];
export const groupRecordKey = (receiver: string, groupKey: string): OutboxKey => ['g', receiver, groupKeyPart(groupKey)];
export const deliveryKey = (id: string): OutboxKey => ['d', id];
export const queuePosition = (d: Pick<DeliveryRecord, 'order' | 'id'>): QueuePosition => [d.order[0], d.order[1], d.id];
const queueKey = (d: Pick<DeliveryRecord, 'receiver' | 'order' | 'id'>): OutboxKey => ['q', d.receiver, ...queuePosition(d)];

export function comparePositions(a: QueuePosition, b: QueuePosition): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** What the dispatcher keeps in memory of a group's pending notifications: enough to know when it is due. */
export interface PendingSummary {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: PendingRecord['groupLabels'];
  readonly policy: NotificationPolicy;
  count: number;
  /** Wall-clock ms of the oldest pending notification's commit. */
  oldest: number;
}

const k = (key: OutboxKey): Key => key as unknown as Key;

/** What one group flush writes: its new record (null: the group is over), the deliveries it made, the pending notifications they consumed. */
export interface GroupFlush {
  readonly group: GroupRecord | null;
  readonly groupRecordKey: OutboxKey;
  readonly deliveries: readonly DeliveryRecord[];
  readonly consumed: readonly PendingRecord[];
}

export class Outbox {
  constructor(
    readonly table: Database<OutboxRecord | number | true, Key>,
    readonly archive: Database<ArchivedRecord, string>,
  ) {}

  /** Rewrites a version 1 outbox into the current layout, once; returns the records it moved. */
  upgrade(): number {
    if (this.table.get(k(layoutKey)) === OUTBOX_LAYOUT_VERSION) return 0;
    let moved = 0;
    this.table.transactionSync(() => {
      for (const { key, value } of this.table.getRange({ start: ['p'], end: ['p', high] })) {
        const old = key as unknown as unknown[];
        if (old.length !== 3 || !isRecord(value) || value.kind !== 'pending') continue;
        this.table.removeSync(key);
        this.table.putSync(k(pendingKey(value)), value);
        moved++;
      }
      for (const { key, value } of this.table.getRange({ start: ['g'], end: ['g', high] })) {
        if (!isRecord(value) || value.kind !== 'group' || (key as unknown as unknown[])[2] === groupKeyPart(value.groupKey)) continue;
        this.table.removeSync(key);
        this.table.putSync(k(groupRecordKey(value.receiver, value.groupKey)), value);
        moved++;
      }
      for (const { value } of this.table.getRange({ start: ['d'], end: ['d', high] })) {
        if (!isRecord(value) || value.kind !== 'delivery') continue;
        this.table.putSync(k(queueKey(value)), true);
        moved++;
      }
      this.table.putSync(k(layoutKey), OUTBOX_LAYOUT_VERSION);
    });
    return moved;
  }

  /** A write for `CommitBatch.writes`. */
  write(key: OutboxKey, value: OutboxRecord | null): TableWrite {
    return { table: this.table as unknown as TableWrite['table'], key: k(key), value };
  }

  /** A write that puts a planned notification in the outbox, for `CommitBatch.writes`. */
  pendingWrite(p: PendingRecord): TableWrite {
    return this.write(pendingKey(p), p);
  }

  /** A write that puts a never-queued notification straight into the archive, for `CommitBatch.writes`. */
  archiveWrite(a: ArchivedRecord): TableWrite {
    return { table: this.archive as unknown as TableWrite['table'], key: a.id, value: a };
  }

  isPending(p: PendingRecord): boolean {
    return this.table.doesExist(k(pendingKey(p)));
  }

  isArchived(id: string): boolean {
    return this.archive.doesExist(id);
  }

  /** Pending notifications of one receiver, counted in LMDB without reading them. */
  countPending(receiver: string): number {
    return this.table.getCount({ start: ['p', receiver], end: ['p', receiver, high] });
  }

  countDeliveries(receiver: string): number {
    return this.table.getCount({ start: ['q', receiver], end: ['q', receiver, high] });
  }

  /** Receivers that have pending notifications or deliveries, configured or not. */
  receivers(): Set<string> {
    const out = new Set<string>();
    for (const prefix of ['p', 'q']) {
      let start: OutboxKey = [prefix];
      for (;;) {
        const first = firstKey(this.table, start, [prefix, high]);
        if (!first) break;
        const receiver = String(first[1]);
        out.add(receiver);
        start = [prefix, receiver, high];
      }
    }
    return out;
  }

  /** One summary per group with pending notifications; reads one record and one count per group, not every record. */
  pendingSummaries(): PendingSummary[] {
    const out: PendingSummary[] = [];
    let start: OutboxKey = ['p'];
    for (;;) {
      let p: PendingRecord | undefined;
      for (const { value } of this.table.getRange({ start: k(start), end: ['p', high], limit: 1 })) if (isRecord(value) && value.kind === 'pending') p = value;
      if (!p) break;
      const end: OutboxKey = ['p', p.receiver, groupKeyPart(p.groupKey), high];
      const count = this.table.getCount({ start: k(['p', p.receiver, groupKeyPart(p.groupKey)]), end: k(end) });
      out.push({ receiver: p.receiver, groupKey: p.groupKey, groupLabels: p.groupLabels, policy: p.policy, count, oldest: p.createdAt });
      start = end;
    }
    return out;
  }

  /**
   * A group's pending notifications, oldest commit first. With a `limit`, the
   * last commit read is read whole: within one commit the records sort by their
   * key's text (`…#1003` before `…#998`), not by sequence, so a limit cutting a
   * commit in two could flush a resolve before the firing it ends.
   */
  readGroupPending(receiver: string, groupKey: string, limit?: number): PendingRecord[] {
    const out: PendingRecord[] = [];
    const part = groupKeyPart(groupKey);
    for (const { value } of this.table.getRange({ start: ['p', receiver, part], end: ['p', receiver, part, high] })) {
      if (!isRecord(value) || value.kind !== 'pending') continue;
      if (limit !== undefined && out.length >= limit && value.createdAt !== out[out.length - 1]!.createdAt) break;
      out.push(value);
    }
    return out;
  }

  groupRecords(): GroupRecord[] {
    const out: GroupRecord[] = [];
    for (const { value } of this.table.getRange({ start: ['g'], end: ['g', high] })) if (isRecord(value) && value.kind === 'group') out.push(value);
    return out;
  }

  /** Up to `limit` deliveries of a receiver in sending order, after `after` (exclusive). */
  pageDeliveries(receiver: string, after: QueuePosition | undefined, limit: number): DeliveryRecord[] {
    const out: DeliveryRecord[] = [];
    const start: OutboxKey = after ? ['q', receiver, ...after] : ['q', receiver];
    for (const key of this.table.getKeys({ start: k(start), end: ['q', receiver, high], limit: limit + 1 })) {
      const q = key as unknown as [string, string, number, number, string];
      if (after && q[2] === after[0] && q[3] === after[1] && q[4] === after[2]) continue;
      const d = this.getDelivery(q[4]);
      if (d) out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }

  getDelivery(id: string): DeliveryRecord | undefined {
    const v = this.table.get(k(deliveryKey(id)));
    return isRecord(v) && v.kind === 'delivery' ? v : undefined;
  }

  /** Pending notifications across receivers, for listings; at most `limit`. */
  listPending(limit: number): PendingRecord[] {
    const out: PendingRecord[] = [];
    for (const { value } of this.table.getRange({ start: ['p'], end: ['p', high], limit })) if (isRecord(value) && value.kind === 'pending') out.push(value);
    return out;
  }

  /** Applies group flushes in one transaction: the deliveries they made appear as their pending entries disappear. */
  async flush(flushes: readonly GroupFlush[]): Promise<void> {
    await this.table.transaction(() => {
      for (const f of flushes) {
        for (const d of f.deliveries) {
          void this.table.put(k(deliveryKey(d.id)), d);
          void this.table.put(k(queueKey(d)), true);
        }
        for (const p of f.consumed) void this.table.remove(k(pendingKey(p)));
        if (f.group) void this.table.put(k(f.groupRecordKey), f.group);
        else void this.table.remove(k(f.groupRecordKey));
      }
    });
  }

  /** Saves a retried delivery; its queue position never changes. */
  async saveDelivery(d: DeliveryRecord): Promise<void> {
    await this.table.put(k(deliveryKey(d.id)), d);
  }

  async removeDelivery(d: DeliveryRecord): Promise<void> {
    await this.table.transaction(() => {
      void this.table.remove(k(deliveryKey(d.id)));
      void this.table.remove(k(queueKey(d)));
    });
  }

  /** Moves a delivery to the archive, atomically. */
  async moveToArchive(d: DeliveryRecord, reason: ArchiveReason, at: number): Promise<ArchivedRecord> {
    const archived: ArchivedRecord = { ...d, kind: 'archived', archivedAt: at, reason };
    await this.table.transaction(() => {
      void this.archive.put(d.id, archived);
      void this.table.remove(k(deliveryKey(d.id)));
      void this.table.remove(k(queueKey(d)));
    });
    return archived;
  }

  /** Moves an archived delivery back to the outbox for another round of attempts. */
  async restoreFromArchive(id: string, now: number): Promise<DeliveryRecord | undefined> {
    const archived = this.archive.get(id);
    if (!archived) return undefined;
    const { archivedAt: _archivedAt, reason: _reason, ...rest } = archived;
    // A fresh max age: the operator asked for this delivery now.
    const d: DeliveryRecord = { ...rest, kind: 'delivery', createdAt: now, attempts: 0, nextAttemptAt: now };
    await this.table.transaction(() => {
      void this.table.put(k(deliveryKey(id)), d);
      void this.table.put(k(queueKey(d)), true);
      void this.archive.remove(id);
    });
    return d;
  }

  listArchived(limit = 1000): ArchivedRecord[] {
    const out: ArchivedRecord[] = [];
    for (const { value } of this.archive.getRange({ limit })) out.push(value);
    return out;
  }
}

function isRecord(v: unknown): v is OutboxRecord {
  return typeof v === 'object' && v !== null && 'kind' in v;
}

function firstKey(table: Database<unknown, Key>, start: OutboxKey, end: OutboxKey): unknown[] | undefined {
  for (const key of table.getKeys({ start: k(start), end: k(end), limit: 1 })) return key as unknown as unknown[];
  return undefined;
}
