/**
 * Absolute event-time deadlines (pending `for` windows, keep-firing and
 * flapping holds, no-data timers, step ends), released when the watermark
 * passes them. A min-heap ordered by time, then by owner id, so equal times
 * release in the same order however the heap was built (after a restart too).
 * Entries that were cancelled stay in the heap and are recognised as stale by their owner.
 */
export interface Deadline {
  readonly at: number;
  readonly actorId: string;
}

const before = (a: Deadline, b: Deadline): boolean => a.at < b.at || (a.at === b.at && a.actorId < b.actorId);

export class DeadlineQueue {
  private readonly heap: Deadline[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(d: Deadline): void {
    const h = this.heap;
    h.push(d);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(d, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = d;
  }

  /** The earliest time in the queue (+Infinity when empty). */
  peekAt(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest deadline at or before `watermark`. */
  popDue(watermark: number): Deadline | undefined {
    const h = this.heap;
    if (h.length === 0 || h[0]!.at > watermark) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best = last;
        if (l < h.length && before(h[l]!, best)) {
          m = l;
          best = h[l]!;
        }
        if (r < h.length && before(h[r]!, best)) m = r;
        if (m === i) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
