/**
 * The part of one receiver's delivery queue the dispatcher holds in memory:
 * the first `capacity` deliveries in sending order, read from LMDB a page at
 * a time as earlier ones are sent or archived. Memory stays flat however
 * large the outbox grows while a receiver is down; lane order holds because
 * the window is always a prefix of the queue, so the head of every lane in
 * it is the head of that lane in LMDB too.
 */
import type { DeliveryRecord } from './model.js';
import { comparePositions, queuePosition, type Outbox, type QueuePosition } from './outbox.js';

export class QueueWindow {
  /** The deliveries in memory, by id. */
  readonly items = new Map<string, DeliveryRecord>();
  /** Deliveries of this receiver in the outbox, in memory or not. */
  total: number;
  /** Every delivery at or before this position is in `items` (or gone). */
  private loadedUpTo: QueuePosition | undefined;
  /** Nothing after `loadedUpTo` is in LMDB. */
  private exhausted = false;

  constructor(
    readonly receiver: string,
    private readonly outbox: Outbox,
    private readonly capacity: number,
  ) {
    this.total = outbox.countDeliveries(receiver);
  }

  /** Reads the next page when the window has room and LMDB holds more. */
  refill(): void {
    if (this.exhausted || this.items.size >= this.capacity) return;
    const want = this.capacity - this.items.size;
    const page = this.outbox.pageDeliveries(this.receiver, this.loadedUpTo, want);
    for (const d of page) this.items.set(d.id, d);
    if (page.length > 0) this.loadedUpTo = queuePosition(page[page.length - 1]!);
    if (page.length < want) this.exhausted = true;
  }

  /** A delivery was just written to the outbox (a flush, or an archived one brought back). */
  added(d: DeliveryRecord): void {
    this.total++;
    const at = queuePosition(d);
    const beforeEnd = this.loadedUpTo !== undefined && comparePositions(at, this.loadedUpTo) <= 0;
    // Behind the window: the next page brings it, in order.
    if (!beforeEnd && !this.exhausted) return;
    if (!beforeEnd && this.items.size >= this.capacity) {
      this.exhausted = false;
      return;
    }
    this.items.set(d.id, d);
    if (!beforeEnd) this.loadedUpTo = at;
    else if (this.items.size > this.capacity) this.shrink();
  }

  /**
   * A flush writes deliveries in group order, not queue order, so many land
   * before the window's end: drop the ones furthest in the queue (they are read
   * again, in order, by a later page) so the window stays a bounded prefix.
   * Without this it grew to the whole queue and every pass walked all of it.
   */
  private shrink(): void {
    const byPosition = [...this.items.values()].sort((a, b) => comparePositions(queuePosition(a), queuePosition(b)));
    for (const d of byPosition.slice(this.capacity)) this.items.delete(d.id);
    this.loadedUpTo = queuePosition(byPosition[this.capacity - 1]!);
    this.exhausted = false;
  }

  /** A delivery left the outbox (sent or archived). */
  removed(id: string): void {
    this.total = Math.max(0, this.total - 1);
    this.items.delete(id);
  }

  /** A delivery in the window changed (an attempt failed; a retry was asked for). */
  updated(d: DeliveryRecord): void {
    if (this.items.has(d.id)) this.items.set(d.id, d);
  }
}
