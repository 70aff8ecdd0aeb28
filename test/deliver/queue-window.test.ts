/** Regression: the dispatcher's window stays a bounded prefix of the queue when a flush adds deliveries out of queue order. */
import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/deliver/model.js';
import type { Outbox } from '../../src/deliver/outbox.js';
import { QueueWindow } from '../../src/deliver/queue-window.js';

const delivery = (n: number): DeliveryRecord => ({ id: `d${String(n).padStart(3, '0')}`, receiver: 'pager', order: [1000, n] }) as unknown as DeliveryRecord;

describe('queue window', () => {
  it('keeps at most its capacity, the earliest in queue order, however the adds arrive', () => {
    const outbox = { countDeliveries: () => 0, pageDeliveries: () => [] } as unknown as Outbox;
    const w = new QueueWindow('pager', outbox, 3);
    w.refill(); // empty LMDB: the window is exhausted, so adds go straight in
    for (const n of [50, 40, 30, 20, 10, 45, 5]) w.added(delivery(n));
    expect([...w.items.keys()].sort()).toEqual(['d005', 'd010', 'd020']);
    expect(w.total).toBe(7);
  });
});
