/**
 * Correlate's own event-time deadlines (upgrade time-outs, declared window
 * ends, heartbeat time-outs, silence ends). There are few of them, so a sorted
 * array is enough; stale entries are recognised by their owner when they come due.
 */
export class DeadlineList {
  private readonly items: Array<{ readonly at: number; readonly id: string }> = [];

  get size(): number {
    return this.items.length;
  }

  add(at: number, id: string): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    if (this.items.some((d) => d.at === at && d.id === id)) return;
    this.items.splice(lo, 0, { at, id });
  }

  /** Removes and returns the earliest deadline at or before `ts`. */
  takeDue(ts: number): { at: number; id: string } | undefined {
    const first = this.items[0];
    if (!first || first.at > ts) return undefined;
    this.items.shift();
    return first;
  }

  clear(): void {
    this.items.length = 0;
  }
}
