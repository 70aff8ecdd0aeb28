/**
 * The hot set of actor records held in memory. Everything else is passivated:
 * it lives only in LMDB and is loaded again on its next message.
 *
 * Two generations instead of a strict LRU: a hit in the young generation costs
 * one map lookup (no reordering on the hot path); an old-generation hit is
 * promoted. When the young generation outgrows half the budget it becomes the
 * old one and the previous old one is dropped. Sweeps happen only between
 * batches, after their commit, so an uncommitted change is never dropped.
 */
import type { AlertRecord } from '../store/index.js';
import type { ActorLoader } from './host.js';

export class ResidentSet {
  // null is a tombstone: deleted in a batch not yet committed, so the store's copy is stale.
  private young = new Map<string, AlertRecord | null>();
  private old = new Map<string, AlertRecord | null>();
  /** Records dropped from memory since start. */
  passivated = 0;

  constructor(
    private readonly loader: ActorLoader,
    /** Most records kept in memory after a sweep. */
    private readonly maxResident: number,
  ) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  has(id: string): boolean {
    return (this.young.get(id) ?? this.old.get(id)) != null;
  }

  /** The record from memory, else from the store (and then held in memory), else undefined. */
  get(id: string): AlertRecord | undefined {
    const hot = this.young.get(id);
    if (hot !== undefined) return hot ?? undefined;
    let rec = this.old.get(id);
    if (rec !== undefined) this.old.delete(id);
    else rec = this.loader.get(id);
    if (rec !== undefined) this.young.set(id, rec);
    return rec ?? undefined;
  }

  set(id: string, rec: AlertRecord): void {
    this.old.delete(id);
    this.young.set(id, rec);
  }

  /** Forgets a record whose deletion is part of the current batch (the store still has it until the commit). */
  delete(id: string): void {
    this.old.delete(id);
    this.young.set(id, null);
  }

  /** Drops the coldest records when over budget. Call only when memory equals what is committed. */
  sweep(): void {
    if (this.young.size + this.old.size <= this.maxResident) return;
    this.passivated += this.old.size;
    this.old = this.young;
    this.young = new Map();
    // A single burst can exceed the whole budget: keep only its newest half.
    if (this.old.size > this.maxResident / 2) {
      const excess = this.old.size - Math.floor(this.maxResident / 2);
      let i = 0;
      for (const id of this.old.keys()) {
        if (i++ >= excess) break;
        this.old.delete(id);
      }
      this.passivated += excess;
    }
  }

  /** Forgets everything (after a failed commit memory may be ahead of disk). */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** Records currently in memory, for inspection. */
  *records(): IterableIterator<AlertRecord> {
    for (const r of this.young.values()) if (r) yield r;
    for (const r of this.old.values()) if (r) yield r;
  }
}
