import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, type AlertEvent } from '../src/core/index.js';
import { Engine } from '../src/engine.js';
import { tempDir } from './support/temp-dir.js';

const T0 = Date.UTC(2026, 0, 1);
const cpu = (node: string, value: number, s: number) => ({ name: 'cpu', tags: { cluster: 'c1', node }, value, ts: T0 + s * 1000 });
const brief = (events: AlertEvent[]) => events.map((e) => `${e.alert} ${e.from}->${e.to} @${(e.ts - T0) / 1000}s`);

describe('engine', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  const open = (allowedLatenessMs = 0) => Engine.open({ dataDir: dir.path, clock: new ManualClock(1), allowedLatenessMs });

  beforeEach(() => {
    dir = tempDir();
    engine = open();
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  it('keeps a pending `for` deadline across a restart and fires it at the exact event time', async () => {
    await engine.applyRules('rule hot { when cpu > 90 by (node) for 1m }');
    await engine.ingest('t', [cpu('n1', 95, 0)]);
    await engine.close();
    engine = open();
    await engine.ingest('t', [cpu('n2', 10, 75)]);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->pending @0s', 'alert/hot/node=n1 pending->firing @60s']);
  });

  it('evaluates a batch in event-time order whatever the arrival order', async () => {
    await engine.applyRules('rule hot { when cpu > 90 by (node) }');
    await engine.ingest('t', [cpu('n1', 10, 3), cpu('n1', 95, 1), cpu('n1', 20, 2)]);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->firing @1s', 'alert/hot/node=n1 firing->resolved @2s']);
  });

  it('counts points behind the watermark as late instead of evaluating them', async () => {
    await engine.applyRules('rule hot { when cpu > 90 by (node) }');
    await engine.ingest('t', [cpu('n1', 10, 10)]);
    const res = await engine.ingest('t', [cpu('n1', 99, 5), cpu('n1', 99, 10)]);
    expect(res).toMatchObject({ accepted: 2, late: 1 });
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->firing @10s']);
  });

  it('keeps state of unchanged rules when another rule is applied, and versions changed ones', async () => {
    expect(await engine.applyRules('rule a { when cpu > 90 by (node) }\nrule b { when cpu < 1 by (node) }')).toEqual([
      { name: 'a', version: 1, change: 'created' },
      { name: 'b', version: 1, change: 'created' },
    ]);
    await engine.ingest('t', [cpu('n1', 95, 1)]);
    expect(await engine.applyRules('rule a { when cpu > 90 by (node) }\nrule b { when cpu < 2 by (node) }')).toEqual([
      { name: 'a', version: 1, change: 'unchanged' },
      { name: 'b', version: 2, change: 'updated' },
    ]);
    await engine.ingest('t', [cpu('n1', 50, 2)]);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/a/node=n1 inactive->firing @1s', 'alert/a/node=n1 firing->resolved @2s']);
  });

  it('deletes a rule together with the state of its alerts', async () => {
    await engine.applyRules('rule a { when cpu > 90 by (node) }');
    await engine.ingest('t', [cpu('n1', 95, 1)]);
    await engine.deleteRule('a');
    expect(engine.listRules()).toEqual([]);
    expect([...engine.store.actors.getKeys()]).toEqual([]);
    await expect(engine.deleteRule('a')).rejects.toMatchObject({ code: 'RULE_NOT_FOUND' });
  });

  it('rejects a rule file as a whole when any rule in it is wrong', async () => {
    await expect(engine.applyRules('rule a { when cpu > 90 }\nrule b { when cpu > }')).rejects.toMatchObject({ code: 'RULE_SYNTAX' });
    expect(engine.listRules()).toEqual([]);
  });

  it('refuses batches above the configured size with LIMIT_EXCEEDED', async () => {
    const small = Engine.open({ dataDir: `${dir.path}/small`, clock: new ManualClock(1), maxBatchPoints: 2 });
    await expect(small.ingest('t', [cpu('n', 1, 1), cpu('n', 1, 2), cpu('n', 1, 3)])).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await small.close();
  });

  it('commits the source offset and dead letters with the batch', async () => {
    await engine.applyRules('rule hot { when cpu > 90 by (node) }');
    const res = await engine.ingestBatch({ source: 'kafka:p/0', points: [cpu('n1', 95, 1), { name: 'cpu', value: 'x' }], pointOffsets: [41, 42], nextOffset: 43, deadLetterRejected: true });
    expect(res.rejected).toHaveLength(1);
    expect(engine.storedOffset('kafka:p/0')).toBe(43);
    const letters = [...engine.store.deadLetters.getRange()].map((e) => e.value);
    expect(letters).toMatchObject([{ source: 'kafka:p/0', offset: 42, code: 'POINT_INVALID' }]);
  });
});

describe('engine passivation', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  /** A flapping workload over many groups, so instances are evicted and loaded again all the time. */
  async function run(dataDir: string, maxResidentActors: number): Promise<{ events: string[]; resident: number; passivated: number }> {
    const engine = Engine.open({ dataDir, clock: new ManualClock(1), maxResidentActors });
    await engine.applyRules('rule hot { when cpu > 50 by (node) for 2s }');
    let s = 3;
    let resident = 0;
    for (let b = 0; b < 60; b++) {
      const points = [];
      for (let n = 0; n < 40; n++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        points.push(cpu(`n${(n * 7 + b) % 40}`, s % 100, b));
      }
      await engine.ingest('t', points);
      resident = Math.max(resident, engine.residentCount());
    }
    const events = brief(engine.readEvents(0, 100_000));
    const passivated = engine.passivatedCount();
    await engine.close();
    return { events, resident, passivated };
  }

  it('keeps at most the configured number of instances in memory and evaluates exactly as without a bound', async () => {
    const unbounded = await run(`${dir.path}/a`, 1_000_000);
    const bounded = await run(`${dir.path}/b`, 8);
    expect(bounded.passivated).toBeGreaterThan(0);
    expect(bounded.events).toEqual(unbounded.events);
    expect(unbounded.events.length).toBeGreaterThan(20);
  });

  it('forgets the instances of a deleted rule, so re-creating it starts clean', async () => {
    const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(1) });
    await engine.applyRules('rule hot { when cpu > 90 by (node) for 1m }');
    await engine.ingest('t', [cpu('n1', 95, 1)]);
    await engine.deleteRule('hot');
    expect(engine.store.allDeadlines()).toEqual([]);
    await engine.applyRules('rule hot { when cpu > 90 by (node) for 1m }');
    await engine.ingest('t', [cpu('n1', 95, 2)]);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->pending @1s', 'alert/hot/node=n1 inactive->pending @2s']);
    expect(engine.readEvents(0, 10).map((e) => e.id)).toEqual(['alert/hot/node=n1#1', 'alert/hot/node=n1#2']);
    await engine.close();
  });
});
