import { afterEach, describe, expect, it } from 'vitest';
import { ev, openEngine, pt, type TestEngine } from './support.js';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ratio = `rule ratio {
  when sum(errors) by (cluster) / sum(rps) by (cluster) * 100 > 50
  step 1m
}`;

describe('step rules', () => {
  it('aligns two inputs on the same step and treats a step missing one input as no data', async () => {
    t = await openEngine(ratio);
    await t.engine.ingest('s', [
      pt('rps', { cluster: 'c1' }, 100, 0.1),
      pt('errors', { cluster: 'c1' }, 60, 0.2),
      // Step 1 has requests but no error series: no data, neither a breach nor a clear.
      pt('rps', { cluster: 'c1' }, 100, 1.1),
      pt('errors', { cluster: 'c1' }, 1, 2.2),
      pt('rps', { cluster: 'c1' }, 100, 2.5),
      pt('rps', { cluster: 'c1' }, 100, 3.5),
    ]);
    expect(t.transitions()).toEqual(['ratio/cluster=c1 inactive->firing @1', 'ratio/cluster=c1 firing->resolved @3']);
  });

  it('puts points that arrive out of order within the lateness into their step, and counts later ones as late per rule and source', async () => {
    t = await openEngine(`rule hot { when max(cpu) by (cluster) > 90 step 1m }`, { allowedLatenessMs: 60_000 });
    await t.engine.ingest('a', [pt('cpu', { cluster: 'c1' }, 10, 0.5), pt('cpu', { cluster: 'c1' }, 10, 1.5)]);
    // 0.9 is behind the newest point (1.5) but within a minute of it: it still lands in step 0.
    await t.engine.ingest('a', [pt('cpu', { cluster: 'c1' }, 95, 0.9)]);
    await t.engine.ingest('a', [pt('cpu', { cluster: 'c1' }, 10, 2.1)]);
    // Now the watermark is 1.1: step 0 is closed and a point for it is late.
    const res = await t.engine.ingest('a', [pt('cpu', { cluster: 'c1' }, 99, 0.8)]);
    expect(res.late).toBe(1);
    await t.engine.ingest('a', [pt('cpu', { cluster: 'c1' }, 10, 3.5)]);
    expect(t.transitions()).toEqual(['hot/cluster=c1 inactive->firing @1', 'hot/cluster=c1 firing->resolved @2']);
    expect(t.engine.lateCounts()).toEqual({ hot: { a: 1 } });
  });

  it('closes a round early once every expected source reported, and counts a straggler for that round as late', async () => {
    t = await openEngine(`rule loss {
  when avg(loss) by (test) > 5
  step 1m
  expect 3 sources by (agent)
}`, { allowedLatenessMs: 10 * 60_000 });
    await t.engine.ingest('s', [pt('loss', { test: 't1', agent: 'a1' }, 9, 0.1), pt('loss', { test: 't1', agent: 'a2' }, 9, 0.2)]);
    expect(t.transitions()).toEqual([]);
    await t.engine.ingest('s', [pt('loss', { test: 't1', agent: 'a3' }, 9, 0.3)]);
    expect(t.transitions()).toEqual(['loss/test=t1 inactive->firing @1']);
    const res = await t.engine.ingest('s', [pt('loss', { test: 't1', agent: 'a4' }, 0, 0.4)]);
    expect(res.late).toBe(0);
    expect(t.engine.lateCounts()).toEqual({ loss: { s: 1 } });
  });

  it('keeps open steps across a restart and gives the transitions of an uninterrupted run', async () => {
    const feed = [pt('rps', { cluster: 'c1' }, 100, 0.1), pt('errors', { cluster: 'c1' }, 60, 0.2), pt('rps', { cluster: 'c1' }, 100, 1.1), pt('errors', { cluster: 'c1' }, 1, 1.2), pt('rps', { cluster: 'c1' }, 1, 2.5)];
    t = await openEngine(ratio);
    for (const p of feed) await t.engine.ingest('s', [p]);
    const reference = t.transitions();
    await t.close();
    t = await openEngine(ratio);
    for (const p of feed) {
      await t.engine.ingest('s', [p]);
      await t.reopen();
    }
    expect(t.transitions()).toEqual(reference);
    expect(reference).toEqual(['ratio/cluster=c1 inactive->firing @1', 'ratio/cluster=c1 firing->resolved @2']);
  });

  it('fires for N of M steps and resolves once the window no longer holds N', async () => {
    t = await openEngine(`rule flaky { when max(x) by (h) > 1 step 1m for 2 of 3 steps }`);
    const values = [5, 0, 5, 0, 0, 0];
    await t.engine.ingest('s', values.map((v, k) => pt('x', { h: 'a' }, v, k + 0.5)));
    await t.engine.ingest('s', [pt('x', { h: 'b' }, 0, 9)]);
    // Steps 0 and 2 are true: 2 of 3 at the close of step 2 (t=3m); step 3's window (1..3) holds one.
    expect(t.transitions()).toEqual(['flaky/h=a inactive->firing @3', 'flaky/h=a firing->resolved @4']);
  });

  it('fires after `for` consecutive steps, and a false step at the deadline instant wins', async () => {
    t = await openEngine(`rule held { when max(x) by (h) > 1 step 1m for 3m }`);
    await t.engine.ingest('s', [0, 1].flatMap((k) => [pt('x', { h: 'a' }, 5, k + 0.5), pt('x', { h: 'b' }, 5, k + 0.5)]));
    await t.engine.ingest('s', [pt('x', { h: 'a' }, 5, 2.5), pt('x', { h: 'b' }, 0, 2.5)]);
    await t.engine.ingest('s', [pt('x', { h: 'z' }, 0, 10)]);
    // At t=3m the close of step 2 (b false) comes before a's deadline at the same instant.
    expect(t.transitions()).toEqual(['held/h=a inactive->pending @1', 'held/h=b inactive->pending @1', 'held/h=b pending->inactive @3', 'held/h=a pending->firing @3']);
  });

  it('keeps firing for the configured time and resolves only with the clear condition (hysteresis)', async () => {
    t = await openEngine(`rule keep { when max(x) by (h) > 90 step 1m keep firing for 2m }
rule hyst { when max(y) by (h) > 90 step 1m clear when max(y) by (h) < 80 }`);
    const xs = [95, 10, 95, 10, 10, 10, 10];
    const ys = [95, 85, 85, 70, 95];
    await t.engine.ingest('s', [...xs.map((v, k) => pt('x', { h: 'a' }, v, k + 0.5)), ...ys.map((v, k) => pt('y', { h: 'a' }, v, k + 0.5))].sort((a, b) => a.ts - b.ts));
    await t.engine.ingest('s', [pt('x', { h: 'z' }, 0, 20)]);
    expect(t.transitions()).toEqual([
      'hyst/h=a inactive->firing @1',
      'keep/h=a inactive->firing @1',
      'hyst/h=a firing->resolved @4',
      'hyst/h=a resolved->firing @5',
      'keep/h=a firing->resolved @6',
    ]);
  });

  it('fires on no data for a group that vanished, and resolves when it reports a healthy value again', async () => {
    t = await openEngine(`rule silent { when sum(msgs) by (customer) < 0 step 1m no data for 10m fire }`);
    await t.engine.ingest('s', [pt('msgs', { customer: 'acme' }, 5, 0.5), pt('msgs', { customer: 'zen' }, 5, 0.5)]);
    await t.engine.ingest('s', [pt('msgs', { customer: 'zen' }, 5, 5.5), pt('msgs', { customer: 'zen' }, 5, 12)]);
    await t.engine.ingest('s', [pt('msgs', { customer: 'acme' }, 5, 13.2), pt('msgs', { customer: 'zen' }, 5, 14.5)]);
    expect(t.transitions()).toEqual(['silent/customer=acme inactive->firing @10.5', 'silent/customer=acme firing->resolved @14']);
    expect(t.engine.readEvents(0, 1)[0]).toMatchObject({ noData: true });
  });

  it('counts events per step like points', async () => {
    t = await openEngine(`rule oops { when sum_over(count(event log{signature="oops"}) by (cluster), 3m) >= 2 step 1m }`);
    await t.engine.ingestBatch({ source: 's', points: [], events: [ev('log', { cluster: 'c1', signature: 'oops' }, 0.5), ev('log', { cluster: 'c1', signature: 'other' }, 1.5), ev('log', { cluster: 'c1' }, 2.5, { signature: 'oops' })] });
    await t.engine.ingestBatch({ source: 's', points: [], events: [ev('log', { cluster: 'c2', signature: 'x' }, 9)] });
    expect(t.transitions()).toEqual(['oops/cluster=c1 inactive->firing @3', 'oops/cluster=c1 firing->resolved @4']);
  });
});

describe('rule changes', () => {
  it('keeps the firing state of a changed rule, starts its steps afresh, and leaves other rules alone', async () => {
    t = await openEngine(`rule a { when max(x) by (h) > 1 step 1m }
rule b { when max(x) by (h) > 1 step 1m for 2 of 2 steps }`);
    await t.engine.ingest('s', [pt('x', { h: 'h1' }, 5, 0.5), pt('x', { h: 'h1' }, 5, 1.5)]);
    await t.engine.applyRules(`rule a { when max(x) by (h) > 2 step 1m }`);
    await t.engine.ingest('s', [pt('x', { h: 'h1' }, 5, 2.5), pt('x', { h: 'h1' }, 1.5, 3.5), pt('x', { h: 'h1' }, 1, 4.5), pt('x', { h: 'z' }, 0, 10)]);
    expect(t.transitions()).toEqual(['a/h=h1 inactive->firing @1', 'b/h=h1 inactive->firing @2', 'a/h=h1 firing->resolved @4', 'b/h=h1 firing->resolved @5']);
  });
});

describe('point rules with lateness', () => {
  it('evaluates points in event-time order within the lateness, also across a restart', async () => {
    t = await openEngine(`rule ping { when ping > 500 by (target) }`, { allowedLatenessMs: 5 * 60_000 });
    await t.engine.ingest('s', [pt('ping', { target: 't' }, 10, 3)]);
    await t.engine.ingest('s', [pt('ping', { target: 't' }, 900, 1)]);
    await t.reopen();
    await t.engine.ingest('s', [pt('ping', { target: 't' }, 10, 2), pt('ping', { target: 't' }, 10, 20)]);
    expect(t.transitions()).toEqual(['ping/target=t inactive->firing @1', 'ping/target=t firing->resolved @2']);
  });
});

describe('watermark across sources', () => {
  it('waits for the slowest source, and stops waiting for one that went idle', async () => {
    t = await openEngine(`rule hot { when max(cpu) by (c) > 90 step 1m }`, { idleSourceMs: 30_000 });
    await t.engine.ingest('fast', [pt('cpu', { c: 'c1' }, 95, 0.5)]);
    await t.engine.ingest('slow', [pt('cpu', { c: 'c2' }, 95, 0.5)]);
    await t.engine.ingest('fast', [pt('cpu', { c: 'c1' }, 95, 5)]);
    expect(t.transitions()).toEqual([]);
    // The wall clock runs with event time; 'slow' has been silent for more than 30 s.
    t.clock.advance(6 * 60_000);
    await t.engine.ingest('fast', [pt('cpu', { c: 'c1' }, 95, 5.5)]);
    expect(t.transitions()).toEqual(['hot/c=c1 inactive->firing @1', 'hot/c=c2 inactive->firing @1']);
  });

  it('advances an idle source with the wall clock on tick, so absence is detected when all input stops', async () => {
    t = await openEngine(`rule silent { when sum(msgs) by (customer) < 0 step 1m no data for 10m fire }`, { idleSourceMs: 30_000 });
    await t.engine.ingest('s', [pt('msgs', { customer: 'acme' }, 5, 0)]);
    t.clock.advance(5 * 60_000);
    expect(await t.engine.tick()).toBe(0);
    t.clock.advance(5 * 60_000);
    expect(await t.engine.tick()).toBe(1);
    expect(t.transitions()).toEqual(['silent/customer=acme inactive->firing @10']);
  });
});

describe('group keys', () => {
  it('hashes a group key too long for an LMDB key instead of failing the batch for ever', async () => {
    t = await openEngine(`rule long { when v > 1 by (a, b) }
rule long_step { when max(v) by (a, b) > 1 step 1m }`);
    const tags = { a: 'x'.repeat(1024), b: 'y'.repeat(1024) };
    const res = await t.engine.ingest('s', [pt('v', tags, 5, 0.5), pt('v', { a: 'z' }, 0, 2)]);
    expect(res.rejected).toEqual([]);
    const events = t.engine.readEvents(0, 10);
    expect(events.map((e) => `${e.rule} ${e.to}`)).toEqual(['long firing', 'long_step firing']);
    expect(events[0]!.alert).toMatch(/^alert\/long\/sha256:[0-9a-f]{64}$/);
    expect(events[1]!.labels).toEqual(tags);
  });
});

describe('windows after the data stops', () => {
  it('resolves an N-of-M alert and a count_over alert once their windows drain, even when the group sends nothing more', async () => {
    t = await openEngine(`rule nofm { when max(x) by (h) > 1 step 1m for 2 of 3 steps }
rule oops { when count_over(count(event log) by (c), 3m) > 0 step 1m }`);
    await t.engine.ingestBatch({ source: 's', points: [pt('x', { h: 'a' }, 5, 0.5), pt('x', { h: 'a' }, 5, 1.5)], events: [ev('log', { c: 'c1' }, 0.5)] });
    await t.engine.ingest('s', [pt('other', {}, 0, 20)]);
    // nofm: steps 0 and 1 true (fires at 2m); the window 1..3 holds one: resolves at 4m, one step past its history.
    // oops: one event in step 0 (fires at 1m); the window 1..3 holds none: resolves at 4m.
    expect(t.transitions()).toEqual(['oops/c=c1 inactive->firing @1', 'nofm/h=a inactive->firing @2', 'nofm/h=a firing->resolved @4', 'oops/c=c1 firing->resolved @4']);
  });
});
