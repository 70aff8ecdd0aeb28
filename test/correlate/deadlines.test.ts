import { describe, expect, it } from 'vitest';
import { DeadlineList } from '../../src/correlate/deadlines.js';

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
