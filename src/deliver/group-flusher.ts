/**
 * The grouping half of the dispatcher: knows, per group, what it last sent
 * (its group record) and a summary of what waits (count, oldest commit,
 * policy), and turns due groups into deliveries. Pending notifications stay
 * in LMDB until their group flushes, so memory holds one summary per group,
 * not one record per notification.
 */
import { flushGroup, groupDueAt } from './grouping.js';
import type { DeliveryRecord, GroupRecord, PendingRecord } from './model.js';
import { groupRecordKey, type Outbox, type PendingSummary } from './outbox.js';

const groupId = (receiver: string, groupKey: string): string => `${receiver}\u0000${groupKey}`;
export const plannedId = (p: PendingRecord): string => `${p.receiver}\u0000${p.notification.key}`;

export interface FlusherOptions {
  readonly outbox: Outbox;
  /** Whether a receiver takes several notifications per message; unknown receivers do not. */
  readonly batches: (receiver: string) => boolean;
  /** Pending notifications turned into deliveries per LMDB transaction, for receivers that take one per message. */
  readonly chunk: number;
  /** Called with the deliveries of each flush, once they are in LMDB. */
  readonly onDeliveries: (receiver: string, deliveries: readonly DeliveryRecord[]) => void;
}

export class GroupFlusher {
  private readonly groups = new Map<string, GroupRecord>();
  private readonly pending = new Map<string, PendingSummary>();
  private readonly pendingCounts = new Map<string, number>();

  constructor(private readonly options: FlusherOptions) {}

  /** Reads group records and one summary per group with pending notifications. */
  load(receivers: Iterable<string>): void {
    const { outbox } = this.options;
    this.groups.clear();
    for (const g of outbox.groupRecords()) this.groups.set(groupId(g.receiver, g.groupKey), g);
    this.pending.clear();
    this.pendingCounts.clear();
    for (const name of receivers) this.pendingCounts.set(name, 0);
    for (const s of outbox.pendingSummaries()) {
      this.pending.set(groupId(s.receiver, s.groupKey), s);
      this.pendingCounts.set(s.receiver, (this.pendingCounts.get(s.receiver) ?? 0) + s.count);
    }
  }

  /** Notifications of a receiver waiting for their group. */
  waiting(receiver: string): number {
    let n = this.pendingCounts.get(receiver);
    // Before load(), count this receiver's pending notifications in LMDB once.
    if (n === undefined) this.pendingCounts.set(receiver, (n = this.options.outbox.countPending(receiver)));
    return n;
  }

  /** Takes on committed pending notifications. */
  take(admitted: readonly PendingRecord[]): void {
    for (const p of admitted) {
      this.pendingCounts.set(p.receiver, this.waiting(p.receiver) + 1);
      const id = groupId(p.receiver, p.groupKey);
      const s = this.pending.get(id);
      if (s) {
        s.count++;
        s.oldest = Math.min(s.oldest, p.createdAt);
      } else this.pending.set(id, { receiver: p.receiver, groupKey: p.groupKey, groupLabels: p.groupLabels, policy: p.policy, count: 1, oldest: p.createdAt });
    }
  }

  /** When the next group falls due (wall-clock ms); Infinity when none will on its own. */
  nextDue(): number {
    let next = Infinity;
    for (const [id, g] of this.groups) next = Math.min(next, groupDueAt(g, this.pending.get(id)) ?? Infinity);
    for (const [id, s] of this.pending) if (!this.groups.has(id)) next = Math.min(next, groupDueAt(undefined, s) ?? Infinity);
    return next;
  }

  /**
   * Flushes every group that is due. `unannounced()` holds the records of the
   * plan being committed right now: they may be in LMDB already, but are not
   * counted until wake() and wait for the next flush. It is asked at each read,
   * because plans are committed and announced while a flush awaits its writes;
   * a stale answer would flush a newer plan's records before an older one's.
   */
  async flushDue(now: number, unannounced: () => ReadonlySet<string> | undefined): Promise<void> {
    for (const [id, g] of [...this.groups]) if (!this.pending.has(id)) await this.flushIfDue(id, g.receiver, g.groupKey, now, unannounced);
    for (const [id, s] of [...this.pending]) await this.flushIfDue(id, s.receiver, s.groupKey, now, unannounced);
  }

  private async flushIfDue(id: string, receiver: string, groupKey: string, now: number, unannounced: () => ReadonlySet<string> | undefined): Promise<void> {
    const summary = this.pending.get(id);
    const due = groupDueAt(this.groups.get(id), summary);
    if (due === undefined) {
      if (this.groups.get(id)?.firing.length === 0) this.groups.delete(id);
      return;
    }
    if (due > now) return;
    const batches = this.options.batches(receiver);
    const chunk = batches ? undefined : this.options.chunk;
    const { outbox } = this.options;
    for (;;) {
      const read = summary ? outbox.readGroupPending(receiver, groupKey, chunk) : [];
      const staged = unannounced();
      const pending = staged ? read.filter((p) => !staged.has(plannedId(p))) : read;
      if (summary && pending.length === 0) {
        // Nothing of ours left in LMDB: the summary ran ahead of the table; believe the table.
        if (read.length === 0) this.forget(id, summary);
        break;
      }
      const result = flushGroup({ receiver, groupKey, group: this.groups.get(id), pending, batches, now });
      await outbox.flush(result.group, groupRecordKey(receiver, groupKey), result.deliveries, pending);
      if (result.group) this.groups.set(id, result.group);
      else this.groups.delete(id);
      this.options.onDeliveries(receiver, result.deliveries);
      if (summary) {
        summary.count -= pending.length;
        this.pendingCounts.set(receiver, this.waiting(receiver) - pending.length);
      }
      if (!summary || chunk === undefined || read.length < chunk) break;
    }
    if (summary && summary.count <= 0) this.pending.delete(id);
  }

  private forget(id: string, summary: PendingSummary): void {
    this.pendingCounts.set(summary.receiver, Math.max(0, this.waiting(summary.receiver) - summary.count));
    summary.count = 0;
    this.pending.delete(id);
  }
}
