import { describe, expect, it } from 'vitest';
import type { DataPoint, VigilEvent } from '../../src/core/index.js';
import { compileSource, type RuleIR } from '../../src/language/index.js';
import type { OracleBatch, OracleResult } from './model.js';
import { classify, runOracle } from './oracle.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (s: number): number => T0 + s * 1000;
const pt = (name: string, tags: Record<string, string>, value: number, s: number): DataPoint => ({ name, tags, value, ts: at(s) });
const ev = (type: string, tags: Record<string, string>, s: number): VigilEvent => ({ type, tags, fields: {}, ts: at(s) });

function rules(text: string): RuleIR[] {
  const compiled = compileSource(text);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.rules.map((r) => r.ir);
}

const brief = (res: OracleResult): string[] => res.transitions.map((t) => `${t.alert} ${t.from}->${t.to} @${(t.ts - T0) / 1000}s`);
const run = (text: string, batches: OracleBatch[], allowedLatenessMs = 0): OracleResult => runOracle(rules(text), batches, { allowedLatenessMs });
const one = (points: DataPoint[], events: VigilEvent[] = [], source = 'a'): OracleBatch => ({ source, points, events });

describe('the oracle classifies arrivals', () => {
  it('takes a batch in event-time order, keeping arrival order for equal times', () => {
    const arrivals = classify([one([pt('m', {}, 1, 5), pt('m', {}, 2, 3), pt('m', {}, 3, 5)])], 0);
    expect(arrivals.map((a) => (a.item.kind === 'point' ? a.item.point.value : 0))).toEqual([2, 1, 3]);
  });

  it('holds the watermark at the slowest source and never moves it back', () => {
    const arrivals = classify([one([pt('m', {}, 1, 100)], [], 'a'), one([pt('m', {}, 1, 50)], [], 'b'), one([pt('m', {}, 1, 200)], [], 'a'), one([pt('m', {}, 1, 150)], [], 'b')], 10_000);
    expect(arrivals.map((a) => [a.late, (a.watermark - T0) / 1000])).toEqual([
      [false, 90],
      [true, 90],
      [false, 90],
      [false, 140],
    ]);
  });
});

describe('the oracle evaluates', () => {
  const s2 = 'rule error_ratio { when sum(errors) by (cluster) / sum(rps) by (cluster) * 100 > 50 step 1m for 4 of 5 steps }';
  const c1 = { cluster: 'c1' };

  it('S2: a step where one input is missing counts against 4 of 5, and the alert fires at the 4th true step', () => {
    const points: DataPoint[] = [];
    for (const step of [0, 1, 2, 3, 4, 5]) {
      points.push(pt('errors', c1, step === 5 ? 1 : 80, step * 60 + 10));
      if (step !== 3) points.push(pt('rps', c1, 100, step * 60 + 20));
    }
    points.push(pt('other', {}, 0, 420));
    expect(brief(run(s2, [one(points)]))).toEqual(['alert/error_ratio/cluster=c1 inactive->firing @300s', 'alert/error_ratio/cluster=c1 firing->resolved @360s']);
  });

  it('counts a point behind the watermark as late for the rules it matches and does not apply it', () => {
    const res = run('rule hot { when cpu > 90 by (node) }\nrule cold { when cpu < 1 by (node) }\nrule mem { when mem > 1 }', [
      one([pt('cpu', { node: 'n1' }, 10, 10)]),
      one([pt('cpu', { node: 'n1' }, 99, 5), pt('cpu', { node: 'n1' }, 99, 10)]),
    ]);
    expect(brief(res)).toEqual(['alert/hot/node=n1 inactive->firing @10s']);
    expect(res.latePerBatch).toEqual([0, 1]);
    expect(res.latePerRule).toEqual({ cold: { a: 1 }, hot: { a: 1 } });
  });

  it('puts a point that is out of order but inside the lateness into its own step', () => {
    const text = 'rule hot { when sum(x) by (g) > 5 step 1m }';
    const batches = [one([pt('x', { g: 'a' }, 3, 10), pt('x', { g: 'a' }, 1, 70)]), one([pt('x', { g: 'a' }, 3, 50), pt('x', { g: 'a' }, 1, 95)])];
    expect(brief(run(text, batches, 30_000))).toEqual(['alert/hot/g=a inactive->firing @60s']);
    // With no lateness the same point is late and step 0 stays below the threshold.
    expect(brief(run(text, batches, 0))).toEqual([]);
  });

  it('lets a step that closes false at the instant of its `for` deadline keep the alert from firing', () => {
    const text = 'rule hot { when max(x) by (g) > 5 step 1m for 2m }';
    const g = { g: 'a' };
    const falseAfter = [one([pt('x', g, 9, 10), pt('x', g, 1, 70), pt('x', {}, 0, 130)])];
    expect(brief(run(text, falseAfter))).toEqual(['alert/hot/g=a inactive->pending @60s', 'alert/hot/g=a pending->inactive @120s']);
    const trueAfter = [one([pt('x', g, 9, 10), pt('x', g, 9, 70), pt('x', {}, 0, 130)])];
    expect(brief(run(text, trueAfter))).toEqual(['alert/hot/g=a inactive->pending @60s', 'alert/hot/g=a pending->firing @120s']);
  });

  it("fires a point rule's `for` deadline at t before a point at t is evaluated", () => {
    const text = 'rule hot { when cpu > 90 by (node) for 10s }';
    expect(brief(run(text, [one([pt('cpu', { node: 'n1' }, 95, 0)]), one([pt('cpu', { node: 'n1' }, 10, 10)])]))).toEqual([
      'alert/hot/node=n1 inactive->pending @0s',
      'alert/hot/node=n1 pending->firing @10s',
      'alert/hot/node=n1 firing->resolved @10s',
    ]);
  });

  it('fires `no data` for a group that vanished once the watermark passes its deadline, and resolves when it reports again', () => {
    const text = 'rule quiet { when sum(m) by (c) < 1 step 1m no data for 2m }';
    const points = [0, 30, 60, 90].map((s) => pt('m', { c: 'a' }, 5, s));
    for (let s = 0; s <= 400; s += 50) points.push(pt('m', { c: 'b' }, 5, s));
    points.push(pt('m', { c: 'a' }, 5, 300));
    expect(brief(run(text, [one(points)])).filter((t) => t.includes('c=a'))).toEqual(['alert/quiet/c=a inactive->firing @210s', 'alert/quiet/c=a firing->resolved @360s']);
  });

  it('fires a sequence at start + within unless the end came strictly before', () => {
    const text = 'rule job { when event job.started without event job.finished within 2m by (job) }';
    const events = [ev('job.started', { job: 'j1' }, 0), ev('job.started', { job: 'j2' }, 0), ev('job.finished', { job: 'j1' }, 60), ev('job.finished', { job: 'j2' }, 120)];
    expect(brief(run(text, [one([], events)]))).toEqual([
      'alert/job/job=j1 inactive->pending @0s',
      'alert/job/job=j2 inactive->pending @0s',
      'alert/job/job=j1 pending->inactive @60s',
      'alert/job/job=j2 pending->firing @120s',
      'alert/job/job=j2 firing->resolved @120s',
    ]);
  });

  it('keeps a firing alert until the clear condition holds', () => {
    const text = 'rule cpu { when max(x) by (g) > 90 clear when max(x) by (g) < 80 step 1m }';
    const g = { g: 'a' };
    const points = [pt('x', g, 95, 10), pt('x', g, 85, 70), pt('x', g, 70, 130), pt('x', {}, 0, 200)];
    expect(brief(run(text, [one(points)]))).toEqual(['alert/cpu/g=a inactive->firing @60s', 'alert/cpu/g=a firing->resolved @180s']);
  });

  it('reads growing(x, n) as no data unless all n + 1 values are there ("needs 4 values")', () => {
    const text = 'rule up { when growing(max(x) by (g), 2) step 1m }';
    const g = { g: 'a' };
    // Fires at step 2 (1 < 2 < 3); step 3 is missing, so at step 5 the newest pair falls (5 → 4) but a value is missing: no data, it stays firing.
    const gap = [pt('x', g, 1, 10), pt('x', g, 2, 70), pt('x', g, 3, 130), pt('x', g, 5, 250), pt('x', g, 4, 310), pt('x', {}, 0, 500)];
    expect(brief(run(text, [one(gap)]))).toEqual(['alert/up/g=a inactive->firing @180s']);
    const rising = [pt('x', g, 1, 10), pt('x', g, 2, 70), pt('x', g, 3, 130), pt('x', g, 1, 190), pt('x', {}, 0, 300)];
    expect(brief(run(text, [one(rising)]))).toEqual(['alert/up/g=a inactive->firing @180s', 'alert/up/g=a firing->resolved @240s']);
  });

  it('gives rate 0, not no data, to a group whose series have one sample each in the step', () => {
    const text = 'rule still { when rate(c) by (g) < 1 step 1m }';
    expect(brief(run(text, [one([pt('c', { g: 'a', s: '1' }, 5, 10), pt('c', { g: 'a', s: '2' }, 7, 20), pt('x', {}, 0, 60)])]))).toEqual(['alert/still/g=a inactive->firing @60s']);
  });

  it('sends a true edge after a no-data edge, so a true step cancels a `keep firing` hold', () => {
    // 30s: step 0 false, then no data since 0s fires. 60s: step 1 false (held until 90s), no data since 30s.
    // 90s: step 2 true: differs from the last edge sent (no data), so it cancels the hold: the alert never resolves.
    const text = 'rule r { when sum(m) by (g) > 0 step 30s keep firing for 30s no data for 30s }';
    const g = { g: 'a' };
    expect(brief(run(text, [one([pt('m', g, 0, 0), pt('m', g, 0, 30), pt('m', g, 1, 60), pt('m', g, 0, 90)])]))).toEqual(['alert/r/g=a inactive->firing @30s']);
  });

  it('fires `no data` again when a group reports after its alert resolved and goes quiet again', () => {
    // 30s: no data since 0s fires. 60s: step 1 false, held until 90s, where it resolves. Data at 90s re-arms the deadline: 120s fires again.
    const text = 'rule r { when sum(m) by (g) > 0 step 30s keep firing for 30s no data for 30s }';
    const g = { g: 'a' };
    expect(brief(run(text, [one([pt('m', g, 0, 0), pt('m', g, 0, 30), pt('m', g, 0, 90), pt('tick', {}, 0, 200)])]))).toEqual([
      'alert/r/g=a inactive->firing @30s',
      'alert/r/g=a firing->resolved @90s',
      'alert/r/g=a resolved->firing @120s',
    ]);
  });
});
