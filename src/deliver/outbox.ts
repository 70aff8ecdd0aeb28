/**
 * The outbox and archive tables. The outbox holds three kinds of records,
 * told apart by the first element of their key:
 *   ['p', receiver, notification key]  pending: planned, waiting for its group to flush
 *   ['g', receiver, group key]         group: what the group last sent (intervals, repeats)
 *   ['d', delivery id]                 delivery: a frozen message, retried until sent or archived
 * The archive holds given-up deliveries by id, with the reason.
 */
import type { Database, Key } from 'lmdb';
import type { TableWrite } from '../store/index.js';
import type { ArchivedRecord, ArchiveReason, DeliveryRecord, GroupRecord, OutboxRecord, PendingRecord } from './model.js';

export type OutboxKey = readonly [string, ...string[]];

export interface OutboxContents {
  readonly pending: PendingRecord[];
  readonly groups: GroupRecord[];
  readonly deliveries: DeliveryRecord[];
}

export const pendingKey = (receiver: string, key: string): OutboxKey => ['p', receiver, key];
export const groupRecordKey = (receiver: string, groupKey: string): OutboxKey => ['g', receiver, groupKey];
export const deliveryKey = (id: string): OutboxKey => ['d', id];

export class Outbox {
  constructor(
    readonly table: Database<OutboxRecord, Key>,
    readonly archive: Database<ArchivedRecord, string>,
  ) {}

  /** A write for `CommitBatch.writes`. */
  write(key: OutboxKey, value: OutboxRecord | null): TableWrite {
    return { table: this.table as unknown as TableWrite['table'], key: key as unknown as Key, value };
  }

  readAll(): OutboxContents {
    const out: OutboxContents = { pending: [], groups: [], deliveries: [] };
    for (const { value } of this.table.getRange()) {
      if (value.kind === 'pending') out.pending.push(value);
      else if (value.kind === 'group') out.groups.push(value);
      else if (value.kind === 'delivery') out.deliveries.push(value);
    }
    return out;
  }

  readPending(): PendingRecord[] {
    const out: PendingRecord[] = [];
    for (const { value } of this.table.getRange({ start: ['p'], end: ['p', '\uffff'] })) if (value.kind === 'pending') out.push(value);
    return out;
  }

  /** Applies a group flush in one transaction: the deliveries it made appear as its pending entries disappear. */
  async flush(group: GroupRecord | null, groupKeyOfRecord: OutboxKey, deliveries: readonly DeliveryRecord[], consumed: readonly PendingRecord[]): Promise<void> {
    await this.table.transaction(() => {
      for (const d of deliveries) void this.table.put(deliveryKey(d.id) as unknown as Key, d);
      for (const p of consumed) void this.table.remove(pendingKey(p.receiver, p.notification.key) as unknown as Key);
      if (group) void this.table.put(groupRecordKey(group.receiver, group.groupKey) as unknown as Key, group);
      else void this.table.remove(groupKeyOfRecord as unknown as Key);
    });
  }

  async saveDelivery(d: DeliveryRecord): Promise<void> {
    await this.table.put(deliveryKey(d.id) as unknown as Key, d);
  }

  async removeDelivery(id: string): Promise<void> {
    await this.table.remove(deliveryKey(id) as unknown as Key);
  }

  /** Moves a delivery to the archive, atomically. */
  async moveToArchive(d: DeliveryRecord, reason: ArchiveReason, at: number): Promise<ArchivedRecord> {
    const archived: ArchivedRecord = { ...d, kind: 'archived', archivedAt: at, reason };
    await this.table.transaction(() => {
      void this.archive.put(d.id, archived);
      void this.table.remove(deliveryKey(d.id) as unknown as Key);
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
      void this.table.put(deliveryKey(id) as unknown as Key, d);
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
