/**
 * Correlate's own event-time deadlines (upgrade time-outs, declared window
 * ends, heartbeat time-outs, silence ends). There are few of them, so a sorted
 * array is enough. Owners remove what they no longer need, and still recognise a
 * stale entry when one comes due.
 */
export class DeadlineList {
  private readonly items: Array<{ readonly at: number; readonly id: string }> = [];
  private readonly keys = new Set<string>();

  get size(): number {
    return this.items.length;
  }

  add(at: number, id: string): void {
    const key = `${at}|${id}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.splice(this.firstAfter(at), 0, { at, id });
  }

  /** Drops a deadline that will not be needed; every heartbeat moves one, so they must not pile up. */
  remove(at: number, id: string): void {
    if (!this.keys.delete(`${at}|${id}`)) return;
    for (let i = this.firstAfter(at) - 1; i >= 0 && this.items[i]!.at === at; i--) {
      if (this.items[i]!.id === id) {
        this.items.splice(i, 1);
        return;
      }
    }
  }

  private firstAfter(at: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Removes and returns the earliest deadline at or before `ts`. */
  takeDue(ts: number): { at: number; id: string } | undefined {
    const first = this.items[0];
    if (!first || first.at > ts) return undefined;
    this.items.shift();
    this.keys.delete(`${first.at}|${first.id}`);
    return first;
  }

  clear(): void {
    this.items.length = 0;
    this.keys.clear();
  }
}
