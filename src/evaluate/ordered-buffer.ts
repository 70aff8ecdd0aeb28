/**
 * Items for point and sequence rules wait here until the watermark passes
 * their event time, then leave in event-time order (arrival order for equal
 * times), so reordering within the allowed lateness does not change what those
 * rules see. With no lateness nothing waits. Plain data: it commits with the batch.
 */
import type { DataPoint, VigilEvent } from '../core/index.js';

export type BufferedItem = { readonly ts: number; readonly n: number; readonly source: string } & ({ readonly point: DataPoint } | { readonly event: VigilEvent });

export class OrderedBuffer {
  private items: BufferedItem[] = [];
  private counter = 0;
  /** Whether the buffer changed since the last `takeChanged()`. */
  private changed = false;

  get size(): number {
    return this.items.length;
  }

  restore(items: readonly BufferedItem[] | undefined): void {
    this.items = [...(items ?? [])];
    this.counter = this.items.reduce((m, i) => Math.max(m, i.n), 0);
    this.changed = false;
  }

  add(item: { readonly point: DataPoint } | { readonly event: VigilEvent }, ts: number, source: string): void {
    const entry = { ...item, ts, n: ++this.counter, source } as BufferedItem;
    // Usually appended at the end: items arrive roughly in order.
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.ts > ts) i--;
    this.items.splice(i, 0, entry);
    this.changed = true;
  }

  peekTs(): number {
    return this.items[0]?.ts ?? Number.POSITIVE_INFINITY;
  }

  shift(): BufferedItem | undefined {
    const item = this.items.shift();
    if (item) this.changed = true;
    return item;
  }

  /** The buffer to persist, or undefined when it did not change. */
  takeChanged(): readonly BufferedItem[] | undefined {
    if (!this.changed) return undefined;
    this.changed = false;
    return this.items;
  }
}
