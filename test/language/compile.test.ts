import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../src/core/index.js';
import { compileSource, type CompiledRule } from '../../src/language/index.js';
import { scenarioRules } from './scenario-rules.js';
import { runSteps } from './step-runner.js';

function compileOne(text: string): CompiledRule {
  const r = compileSource(text);
  expect(r.diagnostics).toEqual([]);
  return r.rules[0]!;
}

describe('compile: rules the first evaluator runs', () => {
  it('keeps the flat fields for `when <selector> <cmp> <number>`', () => {
    const r = compileOne('rule high_ping {\n  when ping_ms{env!="dev"} > 500\n  by (agent, target)\n  for 1m\n  severity critical\n  labels { team = "net" }\n  annotations { s = "{{ $value }}" }\n}');
    expect(r).toMatchObject({
      name: 'high_ping',
      groupBy: ['agent', 'target'],
      forMs: 60_000,
      severity: 'critical',
      labels: { team: 'net' },
      annotations: { s: '{{ $value }}' },
      conditionText: 'ping_ms{env!="dev"} > 500',
    });
    expect(r.selector?.metric).toBe('ping_ms');
    expect(r.selector?.matchers[0]!.test('prod')).toBe(true);
    expect(r.selector?.matchers[0]!.test('dev')).toBe(false);
    expect(r.condition?.(501)).toBe(true);
    expect(r.condition?.(500)).toBe(false);
    expect(r.ir.mode).toBe('point');
    expect(r.source).toBe(
      'rule high_ping {\n  when ping_ms{env!="dev"} > 500\n  by (agent, target)\n  for 1m\n  severity critical\n  labels {\n    team = "net"\n  }\n  annotations {\n    s = "{{ $value }}"\n  }\n}\n',
    );
  });

  it('reads a number on the left as the threshold', () => {
    const r = compileOne('rule r { when 10 >= x }');
    expect(r.condition?.(10)).toBe(true);
    expect(r.condition?.(11)).toBe(false);
    expect(r.groupBy).toBeUndefined();
    expect(r.severity).toBe('warning');
  });

  it('leaves selector and condition undefined for richer rules, so the evaluator refuses them', () => {
    for (const text of ['rule r { when sum(x) by (c) > 1 }', 'rule r { when x > 1 for 4 of 5 steps }', 'rule r { when x > 1 no data for 5m }']) {
      const r = compileOne(text);
      expect(r.selector).toBeUndefined();
      expect(r.condition).toBeUndefined();
      expect(r.ir.mode).toBe('step');
    }
  });
});

describe('compile: the IR of S2 (ratio, 4 of 5 steps)', () => {
  const rule = compileSource(scenarioRules.S2!).rules[0]!;

  it('splits the rule into two data expressions aligned on one-minute steps', () => {
    expect(rule.ir.stepMs).toBe(60_000);
    expect(rule.ir.group).toEqual({ mode: 'by', labels: ['cluster'] });
    expect(rule.ir.inputs.map((i) => [i.text, i.aggregation])).toEqual([
      ['sum(errors) by (cluster)', 'sum'],
      ['sum(rps) by (cluster)', 'sum'],
    ]);
    expect(rule.ir.temporal.nOfM).toEqual({ n: 4, m: 5 });
  });

  it('fires when the condition held in at least 4 of the last 5 steps', () => {
    // errors, rps per step: breach = errors/rps*100 > 50
    const b: [number, number] = [60, 100];
    const ok: [number, number] = [10, 100];
    const out = runSteps(rule.ir, [b, b, ok, b, b, ok, ok]);
    expect(out.map((o) => o.condition)).toEqual([true, true, false, true, true, false, false]);
    expect(out.map((o) => o.firing)).toEqual([false, false, false, false, true, false, false]);
    expect(out[4]!.value).toBe(60);
  });

  it('treats a step where one input has no data as no breach and no division by zero', () => {
    const out = runSteps(rule.ir, [
      [60, undefined],
      [undefined, 100],
      [60, 0],
    ]);
    expect(out.map((o) => o.condition)).toEqual([undefined, undefined, undefined]);
    expect(out.map((o) => o.value)).toEqual([undefined, undefined, undefined]);
    expect(out.every((o) => !o.firing)).toBe(true);
  });

  it('counts a step with no data as one of the 5, and not as a breach', () => {
    const b: [number, number] = [60, 100];
    const out = runSteps(rule.ir, [b, b, [undefined, 100], b, b]);
    expect(out[4]!.firing).toBe(true);
    const out2 = runSteps(rule.ir, [b, [undefined, 100], b, [60, undefined], b]);
    expect(out2[4]!.firing).toBe(false);
  });
});

describe('compile: window, offset and trend functions', () => {
  it('compares throughput with the same value one hour earlier (S7)', () => {
    const r = compileOne('rule r { when rate(m) by (c) < 0.5 * (rate(m) by (c) offset 2m) }');
    expect(r.ir.slots).toHaveLength(1);
    const out = runSteps(r.ir, [[100], [100], [40], [60]]);
    expect(out.map((o) => o.condition)).toEqual([undefined, undefined, true, false]);
  });

  it('detects a queue growing over several consecutive steps (S7)', () => {
    const r = compileOne('rule r { when growing(max(depth) by (q), 3) }');
    const out = runSteps(r.ir, [[1], [2], [3], [4], [4], [5]]);
    expect(out.map((o) => o.condition)).toEqual([undefined, undefined, undefined, true, false, false]);
  });

  it('averages over a window, skipping steps without data', () => {
    const r = compileOne('rule r { when avg_over(sum(x), 3m) > 10 }');
    const out = runSteps(r.ir, [[30], [undefined], [0], [0], [undefined], [undefined], [undefined]]);
    expect(out.map((o) => o.condition)).toEqual([true, true, true, false, false, false, undefined]);
  });

  it('counts the steps in which a condition held', () => {
    const r = compileOne('rule r { when count_over(sum(x) > 1, 3m) >= 2 }');
    const out = runSteps(r.ir, [[2], [0], [2], [2], [0], [0]]);
    expect(out.map((o) => o.condition)).toEqual([false, false, true, true, true, false]);
  });

  it('lowers change(x, d) to x minus x offset d', () => {
    const r = compileOne('rule r { when change(sum(x), 1m) > 5 }');
    expect(runSteps(r.ir, [[1], [10], [12]]).map((o) => o.condition)).toEqual([undefined, true, false]);
  });

  it('fills a missing input with a default so a step without errors counts as zero errors', () => {
    const r = compileOne('rule r { when fill(sum(failed) by (c), 0) / sum(total) by (c) > 0.1 }');
    expect(runSteps(r.ir, [[undefined, 10], [5, 10], [5, undefined]]).map((o) => o.condition)).toEqual([false, true, undefined]);
  });

  it('holds `for 3m` on 1m steps as 3 consecutive true steps', () => {
    const r = compileOne('rule r { when max(x) > 1 for 3m }');
    expect(runSteps(r.ir, [[2], [2], [2], [0], [2]]).map((o) => o.firing)).toEqual([false, false, true, false, false]);
  });

  it('evaluates and/or/not with unknowns as no breach', () => {
    const r = compileOne('rule r { when max(a) > 1 and not (max(b) > 1) or max(c) > 1 }');
    const out = runSteps(r.ir, [
      [2, 0, undefined],
      [2, undefined, 0],
      [undefined, undefined, 2],
      [0, undefined, undefined],
    ]);
    expect(out.map((o) => o.condition)).toEqual([true, undefined, true, undefined]);
  });
});

describe('compile: events, sequences and metadata', () => {
  it('matches events by type and by tag, or by field when no tag has that name', () => {
    const r = compileOne('rule r { when count(event log{signature="oops", cluster=~"c.*"}) by (cluster) > 0 }');
    const input = r.ir.inputs[0]!;
    if (input.source !== 'event') throw new Error('expected an event input');
    expect(input.events.test({ type: 'log', tags: { cluster: 'c1' }, fields: { signature: 'oops' } })).toBe(true);
    expect(input.events.test({ type: 'log', tags: { cluster: 'c1', signature: 'x' }, fields: { signature: 'oops' } })).toBe(false);
    expect(input.events.test({ type: 'metric', tags: { cluster: 'c1' }, fields: { signature: 'oops' } })).toBe(false);
    const event: VigilEvent = { type: 'log', tags: { cluster: 'c2' }, fields: { signature: 'oops', line: 3 }, ts: 1 };
    expect(input.events.test(event)).toBe(true);
  });

  it('compiles "A without B within D by key" to an event-mode sequence (S9)', () => {
    const r = compileSource(scenarioRules.S9!).rules[0]!;
    expect(r.ir.mode).toBe('event');
    const c = r.ir.condition;
    if (c.kind !== 'sequence') throw new Error('expected a sequence');
    expect(c).toMatchObject({ withinMs: 7_200_000, key: ['job_id'] });
    expect(c.start.test({ type: 'job.started', tags: {}, fields: { job_id: 7 } })).toBe(true);
    expect(c.end.attribute({ type: 'job.finished', tags: {}, fields: { job_id: 7 } }, 'job_id')).toBe('7');
  });

  it('renders annotation and signature templates over the group labels and the value', () => {
    const r = compileOne('rule r { when max(cpu) by (cluster) > 90 annotations { s = "{{ $labels.cluster }} at {{ $value }}% ({{ $rule }})" } signature "cpu:{{ $labels.cluster }}" scope cluster notify slack, "ops-hook" }');
    expect(r.ir.meta.annotations.s!.render({ labels: { cluster: 'c1' }, value: 93.123456789 })).toBe('c1 at 93.1235% (r)');
    expect(r.ir.meta.annotations.s!.render({ labels: {}, value: undefined })).toBe(' at no data% (r)');
    expect(r.ir.meta.signature!.render({ labels: { cluster: 'c1' } })).toBe('cpu:c1');
    expect(r.ir.meta).toMatchObject({ scope: 'cluster', notify: ['slack', 'ops-hook'] });
  });

  it('records no data, keep firing, clear and flapping in the temporal part', () => {
    const r = compileOne('rule r { when max(x) by (c) > 90 keep firing for 10m clear when max(x) by (c) < 80 no data for 10m resolve flapping 4 changes within 1h }');
    expect(r.ir.noData).toEqual({ afterMs: 600_000, action: 'resolve' });
    expect(r.ir.temporal).toMatchObject({ keepFiringMs: 600_000, flapping: { changes: 4, withinMs: 3_600_000 } });
    expect(runSteps({ ...r.ir, condition: { kind: 'value', tree: r.ir.temporal.clear!.tree, evaluate: r.ir.temporal.clear!.evaluate } }, [[70], [85]]).map((o) => o.condition)).toEqual([true, false]);
  });

  it('shares one input between equal data expressions', () => {
    const r = compileOne('rule r { when sum(x) by (c) > 1 and sum(x) by (c) < 10 }');
    expect(r.ir.inputs).toHaveLength(1);
  });
});

describe('compile: complete steps (S8)', () => {
  it('records how many sources complete a step of a group, and the labels that name a source', () => {
    const r = compileSource(scenarioRules.S8!).rules[0]!;
    expect(r.ir).toMatchObject({ mode: 'step', stepMs: 60_000, group: { mode: 'by', labels: ['test'] }, expect: { sources: 12, by: ['agent'] } });
  });

  it('leaves expect out of the IR of a rule that does not say it', () => {
    expect(compileOne('rule r { when avg(x) by (test) > 5 step 1m }').ir).not.toHaveProperty('expect');
  });

  it('accepts several labels naming a source, and a group grouped without them', () => {
    expect(compileOne('rule r { when avg(x) without (agent, region) > 5 expect 1 source by (agent, region) }').ir.expect).toEqual({ sources: 1, by: ['agent', 'region'] });
  });
});

describe('compile: source', () => {
  it('stores the canonical rule without its comments, so editing a comment changes nothing', () => {
    const a = compileSource('# header\nrule r {\n  # why\n  when x > 1 # note\n}').rules[0]!;
    const b = compileSource('rule r { when x > 1 }').rules[0]!;
    expect(a.source).toBe(b.source);
  });
});
