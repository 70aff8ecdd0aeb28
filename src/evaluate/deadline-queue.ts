/**
 * Absolute event-time deadlines (pending `for` windows, later no-data timers),
 * released when the watermark passes them. A min-heap; entries that were
 * cancelled stay in the heap and are recognised as stale by their owner.
 */
export interface Deadline {
  readonly at: number;
  readonly actorId: string;
}

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
      if (h[parent]!.at <= d.at) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = d;
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
        let mv = last.at;
        if (l < h.length && h[l]!.at < mv) {
          m = l;
          mv = h[l]!.at;
        }
        if (r < h.length && h[r]!.at < mv) m = r;
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
