import { describe, expect, it } from 'vitest';
import { compileSource, type CheckLimits } from '../../src/language/index.js';

function problems(text: string, limits?: CheckLimits) {
  const r = compileSource(text, limits);
  expect(r.rules).toEqual([]);
  return r.diagnostics.map((d) => ({ line: d.line, column: d.column, code: d.code, message: d.message }));
}

function one(text: string, limits?: CheckLimits) {
  const ps = problems(text, limits);
  expect(ps).toHaveLength(1);
  return ps[0]!;
}

describe('check', () => {
  it('rejects an unknown function and suggests the closest one', () => {
    expect(one('rule r {\n  when avgg(x) > 1\n}')).toMatchObject({ line: 2, column: 8, code: 'RULE_INVALID', message: 'unknown function "avgg"; did you mean "avg"?' });
  });

  it('rejects a call with the wrong number of arguments', () => {
    expect(one('rule r { when avg_over(sum(x)) > 1 }').message).toContain('avg_over() takes 2 arguments');
    expect(one('rule r { when sum(x, y) > 1 }').message).toContain('sum() takes 1 argument');
  });

  it('rejects an aggregation of something that is not a selector and points to the windowed form', () => {
    expect(one('rule r { when sum(rate(x)) > 1 }')).toMatchObject({ column: 19, message: expect.stringContaining('sum_over(x, 10m)') });
  });

  it('rejects arithmetic on conditions and logic on numbers', () => {
    expect(one('rule r { when (x > 1) + 2 > 1 }').message).toContain("'+' needs numbers");
    expect(one('rule r { when x and y > 1 }').message).toContain("'and' joins conditions");
  });

  it('rejects a condition that does not compare', () => {
    expect(one('rule r { when sum(x) }').message).toContain("'when' needs a condition");
  });

  it('rejects a comparison that reads no data', () => {
    expect(one('rule r { when 1 > 2 }').message).toContain('reads no data');
  });

  it('rejects windows that are not a whole number of steps, empty, or too long', () => {
    expect(one('rule r { when avg_over(sum(x), 90s) > 1 }')).toMatchObject({ column: 32, message: 'avg_over(): 1m30s is not a whole number of 1m steps' });
    expect(one('rule r { when avg_over(sum(x), 0s) > 1 }').message).toContain('longer than 0s');
    expect(one('rule r { when avg_over(sum(x), 60d) > 1 }').message).toContain('longer than the limit of 4w3d');
    expect(one('rule r { when x offset 1h > 1 step 7m }').message).toContain('not a whole number of 7m steps');
  });

  it('rejects a duration where a number belongs', () => {
    expect(one('rule r { when x > 5m }').message).toContain('a duration may only be a function argument');
  });

  it('rejects template labels that the alert group does not have, inside the string', () => {
    const p = one('rule r {\n  when max(cpu) by (cluster) > 90\n  annotations { summary = "hot: {{ $labels.node }}" }\n}');
    expect(p).toMatchObject({ line: 3, column: 36 });
    expect(p.message).toBe('the alert has no label "node"; the alert has cluster');
  });

  it('accepts template labels from the group and from static labels', () => {
    const r = compileSource('rule r { when max(cpu) by (cluster) > 90 labels { team = "a" } annotations { s = "{{ $labels.cluster }} {{$labels.team}} {{ $value }} {{ $rule }}" } }');
    expect(r.diagnostics).toEqual([]);
  });

  it('rejects unknown template placeholders and unclosed ones', () => {
    expect(one('rule r { when x > 1 annotations { s = "{{ $values }}" } }').message).toContain('unknown template placeholder');
    expect(one('rule r { when x > 1 annotations { s = "{{ $value" } }').message).toContain('never closed');
  });

  it('rejects a regular expression that does not compile, at its matcher', () => {
    expect(one('rule r {\n  when x{a=~"("} > 1\n}')).toMatchObject({ line: 2, column: 10, message: expect.stringContaining('invalid regular expression for "a"') });
  });

  it('rejects selectors that select every series when the limit asks for a filter', () => {
    const limits = { requireSelectorFilter: true };
    expect(one('rule r { when x > 1 }', limits).message).toContain('x selects every series');
    expect(one('rule r { when x{a=~".*"} > 1 }', limits).message).toContain('selects every series');
    expect(compileSource('rule r { when x{a="b"} > 1 }', limits).diagnostics).toEqual([]);
    expect(compileSource('rule r { when x > 1 }').diagnostics).toEqual([]);
  });

  it('rejects more selectors than the limit', () => {
    expect(one('rule r { when x + y + z > 1 }', { maxSelectorsPerRule: 2 }).message).toContain('at most 2 selectors');
  });

  it('rejects repeated clauses and repeated rule names', () => {
    expect(one('rule r { when x > 1 for 1m for 2m }')).toMatchObject({ column: 28, message: "'for' may appear only once in a rule" });
    expect(one('rule r { when x > 1 }\nrule r { when x > 2 }')).toMatchObject({ line: 2, column: 6, message: 'rule "r" is defined twice (first at line 1)' });
  });

  it('rejects values grouped differently on the two sides of an operator', () => {
    expect(one('rule r { when sum(a) by (cluster) / sum(b) by (node) > 1 }').message).toContain('cannot combine values grouped by (cluster) with values grouped by (node)');
  });

  it('rejects a rule-level by that contradicts the condition grouping', () => {
    expect(one('rule r { when sum(a) by (cluster) > 1 by (node) }').message).toBe('the rule says by (node) but its condition is grouped by (cluster)');
  });

  it('lets aggregations without their own grouping inherit the rule-level by', () => {
    const r = compileSource('rule r { when sum(errors) / sum(rps) > 0.5 by (cluster) }');
    expect(r.diagnostics).toEqual([]);
    expect(r.rules[0]!.ir.inputs.map((i) => i.text)).toEqual(['sum(errors) by (cluster)', 'sum(rps) by (cluster)']);
  });

  it('rejects a scope that is not a group label, and inhibit without a scope', () => {
    expect(one('rule r { when max(x) by (cluster) > 1 scope node }').message).toContain('scope "node" must be one of the labels');
    expect(one('rule r { when max(x) by (cluster) > 1 inhibit }').message).toContain("add 'scope <label>'");
  });

  it('rejects an event sequence without a key, and temporal clauses on it', () => {
    expect(one('rule r { when event a without event b within 1h }').message).toContain("needs 'by (...)'");
    expect(one('rule r { when event a without event b within 1h by (id) for 4 of 5 steps }').message).toContain('does not apply to an event sequence');
  });

  it('rejects aggregations other than count on events', () => {
    expect(one('rule r { when sum(event log) by (cluster) > 1 }').message).toContain('count them with count(event');
  });

  it('rejects malformed N of M and flapping counts', () => {
    expect(one('rule r { when x > 1 for 6 of 5 steps }').message).toContain('1 <= N <= M');
    expect(one('rule r { when x > 1 for 2.5 of 5 steps }').message).toContain('whole numbers');
    expect(one('rule r { when x > 1 flapping 1 changes within 1h }').message).toContain('at least 2');
  });

  it('rejects expect outside step mode, at the clause', () => {
    expect(one('rule r {\n  when x > 1\n  expect 3 sources by (agent)\n}')).toMatchObject({ line: 3, column: 3, message: expect.stringContaining("add a step, e.g. 'step 1m'") });
    expect(one('rule r { when event a without event b within 1h by (id) expect 3 sources by (agent) }').message).toBe("'expect' does not apply to an event sequence");
    expect(compileSource('rule r { when x > 1 by (test) step 1m expect 3 sources by (agent) }').diagnostics).toEqual([]);
  });

  it('rejects an expected source count that is not a whole number from 1 to the limit', () => {
    for (const n of ['0', '2.5']) expect(one(`rule r { when avg(x) by (t) > 1 expect ${n} sources by (agent) }`).message).toContain('whole number of at least 1');
    expect(one('rule r { when avg(x) by (t) > 1 expect 10001 sources by (agent) }').message).toBe("'expect 10001 sources' is above the limit of 10000 sources");
    expect(one('rule r { when avg(x) by (t) > 1 expect 5 sources by (agent) }', { maxExpectedSources: 4 }).message).toContain('limit of 4 sources');
  });

  it('rejects expect labels that are group labels, missing or repeated', () => {
    expect(one('rule r { when avg(x) by (test, agent) > 1 expect 3 sources by (agent) }').message).toBe(
      `'expect' counts the sources within a group, so "agent" must not be a group label (the alert is grouped by (test, agent))`,
    );
    expect(one('rule r { when avg(x) without (node) > 1 expect 3 sources by (agent) }').message).toContain('"agent" must not be a group label (the alert is grouped without (node))');
    expect(one('rule r { when x > 1 step 1m expect 3 sources by (agent) }').message).toContain('keeps every series apart');
    expect(one('rule r { when avg(x) by (t) > 1 expect 3 sources by () }').message).toContain('the labels that name a source');
    expect(one('rule r { when avg(x) by (t) > 1 expect 3 sources by (a, a) }').message).toBe(`label "a" is listed twice in 'expect'`);
  });

  it('rejects labels with templates, duplicate labels and duplicate targets', () => {
    expect(one('rule r { when x > 1 labels { a = "{{ $value }}" } }').message).toContain('put templates in annotations');
    expect(one('rule r { when x > 1 labels { a = "1" } labels { a = "2" } }').message).toBe('label "a" is set twice');
    expect(one('rule r { when x > 1 notify slack, slack }').message).toBe('delivery target "slack" is listed twice');
  });

  it('rejects bad rule names', () => {
    expect(one('rule "a/b" { when x > 1 }').message).toContain('letters, digits');
  });

  it('reports every problem of a file, not just the first', () => {
    const ps = problems(['rule a {', '  when avgg(x) > 1', '  annotations { s = "{{ $labels.zz }}" }', '}', 'rule b {', '  when y{a=~"("} > 1 for 1m for 2m', '}'].join('\n'));
    expect(ps.map((p) => p.line)).toEqual([2, 6, 6]);
  });
});
