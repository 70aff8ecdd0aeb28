import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/evaluate/index.js';

describe('deadline queue', () => {
  it('releases exactly the deadlines at or before the watermark, earliest first', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 })), fc.integer({ min: 0, max: 1000 }), (ats, wm) => {
        const q = new DeadlineQueue();
        ats.forEach((at, i) => q.push({ at, actorId: `a${i}` }));
        const released: number[] = [];
        for (let d = q.popDue(wm); d; d = q.popDue(wm)) released.push(d.at);
        expect(released).toEqual(ats.filter((a) => a <= wm).sort((a, b) => a - b));
        expect(q.size).toBe(ats.filter((a) => a > wm).length);
      }),
    );
  });
});
