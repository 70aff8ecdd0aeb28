/**
 * The grouping half of the dispatcher: knows, per group, what it last sent
 * (its group record) and a summary of what waits (count, oldest commit,
 * policy), and turns due groups into deliveries. Pending notifications stay
 * in LMDB until their group flushes, so memory holds one summary per group,
 * not one record per notification.
 */
import { flushGroup, groupDueAt, type FlushResult } from './grouping.js';
import type { DeliveryRecord, GroupRecord, PendingRecord } from './model.js';
import { groupRecordKey, type Outbox, type PendingSummary } from './outbox.js';

const groupId = (receiver: string, groupKey: string): string => `${receiver}\u0000${groupKey}`;
export const plannedId = (p: PendingRecord): string => `${p.receiver}\u0000${p.notification.key}`;

/** Groups flushed in one LMDB transaction: one commit instead of one per group when a storm falls due at once. */
const groupsPerTransaction = 500;

interface Flushed {
  readonly id: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly pending: readonly PendingRecord[];
  readonly result: FlushResult;
  /** The group has more pending than this flush read. */
  readonly more: boolean;
}

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
  /** When the next group falls due, as of the last scan and what came in since; -Infinity: scan at the next pass. */
  private dueAt = -Infinity;

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
    this.dueAt = -Infinity;
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
      this.dueAt = Math.min(this.dueAt, groupDueAt(this.groups.get(id), this.pending.get(id)) ?? Infinity);
    }
  }

  /** When the next group falls due (wall-clock ms); Infinity when none will on its own. */
  nextDue(): number {
    return this.dueAt;
  }

  /** Scans every group: the dispatcher pumps once per attempt, and groups are as many as alerts firing, so this runs only when a flush is due. */
  private scanDue(): number {
    let next = Infinity;
    for (const [id, g] of this.groups) next = Math.min(next, groupDueAt(g, this.pending.get(id)) ?? Infinity);
    for (const [id, s] of this.pending) if (!this.groups.has(id)) next = Math.min(next, groupDueAt(undefined, s) ?? Infinity);
    return next;
  }

  /**
   * Flushes every group that is due, many groups per LMDB transaction; returns
   * true when a group has more pending than one pass takes (call again).
   * `unannounced()` holds the records of the plan being committed right now:
   * they may be in LMDB already, but are not counted until wake() and wait
   * for the next flush. It is asked at each read, because plans are committed
   * and announced while a flush awaits its writes; a stale answer would flush
   * a newer plan's records before an older one's.
   */
  async flushDue(now: number, unannounced: () => ReadonlySet<string> | undefined): Promise<boolean> {
    if (now < this.dueAt) return false;
    let more = false;
    let work: Flushed[] = [];
    const candidates = [...[...this.groups.values()].filter((g) => !this.pending.has(groupId(g.receiver, g.groupKey))), ...this.pending.values()];
    for (const c of candidates) {
      const flushed = this.flushOne(c.receiver, c.groupKey, now, unannounced);
      if (!flushed) continue;
      more ||= flushed.more;
      work.push(flushed);
      if (work.length >= groupsPerTransaction) {
        await this.commit(work);
        work = [];
      }
    }
    await this.commit(work);
    // What came in during the awaits lowered dueAt through take(); the scan covers it too.
    this.dueAt = more ? now : this.scanDue();
    return more;
  }

  /** Reads a due group's pending notifications and works out its flush, without writing. */
  private flushOne(receiver: string, groupKey: string, now: number, unannounced: () => ReadonlySet<string> | undefined): Flushed | undefined {
    const id = groupId(receiver, groupKey);
    const summary = this.pending.get(id);
    const group = this.groups.get(id);
    const due = groupDueAt(group, summary);
    if (due === undefined) {
      if (group?.firing.length === 0) this.groups.delete(id);
      return undefined;
    }
    if (due > now) return undefined;
    const batches = this.options.batches(receiver);
    const chunk = batches ? undefined : this.options.chunk;
    const read = summary ? this.options.outbox.readGroupPending(receiver, groupKey, chunk) : [];
    const staged = unannounced();
    const pending = staged ? read.filter((p) => !staged.has(plannedId(p))) : read;
    if (summary && pending.length === 0) {
      // Nothing of ours left in LMDB: the summary ran ahead of the table; believe the table.
      if (read.length === 0) this.forget(id, summary);
      return undefined;
    }
    const result = flushGroup({ receiver, groupKey, group, pending, batches, now });
    return { id, receiver, groupKey, pending, result, more: chunk !== undefined && read.length >= chunk };
  }

  private async commit(work: readonly Flushed[]): Promise<void> {
    if (work.length === 0) return;
    await this.options.outbox.flush(work.map((w) => ({ group: w.result.group, groupRecordKey: groupRecordKey(w.receiver, w.groupKey), deliveries: w.result.deliveries, consumed: w.pending })));
    for (const w of work) {
      if (w.result.group) this.groups.set(w.id, w.result.group);
      else this.groups.delete(w.id);
      this.options.onDeliveries(w.receiver, w.result.deliveries);
      const summary = this.pending.get(w.id);
      if (!summary || w.pending.length === 0) continue;
      summary.count -= w.pending.length;
      this.pendingCounts.set(w.receiver, this.waiting(w.receiver) - w.pending.length);
      if (summary.count <= 0) this.pending.delete(w.id);
    }
  }

  private forget(id: string, summary: PendingSummary): void {
    this.pendingCounts.set(summary.receiver, Math.max(0, this.waiting(summary.receiver) - summary.count));
    summary.count = 0;
    this.pending.delete(id);
  }
}
