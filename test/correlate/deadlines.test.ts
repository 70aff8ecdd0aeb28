import { describe, expect, it } from 'vitest';
import { DeadlineList } from '../../src/correlate/deadlines.js';
import { Harness, lifecycle, M } from './support.js';

describe('DeadlineList', () => {
  it('hands deadlines out in time order, once each, and forgets removed ones', () => {
    const d = new DeadlineList();
    d.add(30, 'cluster/a');
    d.add(10, 'silence/s');
    d.add(30, 'cluster/b');
    d.add(30, 'cluster/a');
    d.add(20, 'cluster/a');
    d.remove(20, 'cluster/a');
    d.remove(99, 'cluster/a');
    expect(d.size).toBe(3);
    const due: string[] = [];
    for (let x = d.takeDue(30); x; x = d.takeDue(30)) due.push(`${x.at} ${x.id}`);
    expect(due).toEqual(['10 silence/s', '30 cluster/a', '30 cluster/b']);
    d.add(30, 'cluster/a');
    expect(d.takeDue(29)).toBeUndefined();
    expect(d.takeDue(30)).toEqual({ at: 30, id: 'cluster/a' });
  });
});

describe('deadlines committed by a batch', () => {
  it('leaves only the last heartbeat deadline when one batch carries two heartbeats of a cluster (regression: the middle one stayed in the table)', () => {
    const h = new Harness({ heartbeatTimeoutMs: 5 * M });
    h.batch({ lifecycle: [lifecycle('heartbeat', 'c1', 0)] });
    h.batch({ lifecycle: [lifecycle('heartbeat', 'c1', M), lifecycle('heartbeat', 'c1', 2 * M)] });
    expect([...h.store.deadlines.values()]).toEqual([[7 * M, 'cluster/c1']]);
  });

  it('drops a deadline from the table when it comes due, even when its owner has moved on', () => {
    const h = new Harness({ heartbeatTimeoutMs: 5 * M });
    h.batch({ lifecycle: [lifecycle('heartbeat', 'c1', 0)] });
    // A deadline left behind by an older version (or a lost removal) is stale: it fires, changes nothing, and goes.
    h.store.deadlines.set(`${M}|cluster/c1`, [M, 'cluster/c1']);
    h.restart();
    h.batch({ watermark: 2 * M });
    expect([...h.store.deadlines.values()]).toEqual([[5 * M, 'cluster/c1']]);
  });
});
