import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, parse } from '../../src/language/index.js';
import { ruleLexer } from '../../src/language/lexer.js';
import { rule, strip } from './arbitraries.js';

const file = fc.array(rule, { minLength: 1, maxLength: 3 }).map((rules) => ({ rules }));

describe('format', () => {
  it('prints any rule tree so that parsing it gives the same tree back', () => {
    fc.assert(
      fc.property(file, (tree) => {
        const text = format(tree);
        const parsed = parse(text);
        expect(parsed.diagnostics).toEqual([]);
        expect(strip(parsed.value)).toEqual(strip(tree));
      }),
      { numRuns: 500 },
    );
  });

  it('is canonical: formatting parsed canonical text changes nothing', () => {
    fc.assert(
      fc.property(file, (tree) => {
        const text = format(tree);
        expect(format(parse(text).value!)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same text whatever the whitespace between tokens', () => {
    const separator = fc.constantFrom(' ', '\n', '\t ', '\r\n  ');
    fc.assert(
      fc.property(file, fc.array(separator, { minLength: 1, maxLength: 5 }), (tree, seps) => {
        const canonical = format(tree);
        const tokens = ruleLexer.tokenize(canonical).tokens;
        const messy = tokens.map((t, i) => t.image + seps[i % seps.length]).join('');
        expect(format(parse(messy).value!)).toBe(canonical);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps comments: before a rule, before the clause they precede or trail, inside a block, before the closing brace, at the end', () => {
    const text = ['# header', 'rule a { # on the rule line', '  # why', '  for 5m', '  when x > 1 # why 1', '  labels {', '    # own line inside', '    a = "b"', '  }', '  # last', '}', '# tail', ''].join('\n');
    const out = format(parse(text).value!);
    expect(out).toBe(
      ['# header', '# on the rule line', 'rule a {', '  # why 1', '  when x > 1', '  # why', '  for 5m', '  labels {', '    # own line inside', '    a = "b"', '  }', '  # last', '}', '', '# tail', ''].join('\n'),
    );
    expect(format(parse(out).value!)).toBe(out);
  });

  it('keeps comments inside labels and annotations blocks between the same pairs', () => {
    const text = [
      'rule a {',
      '  when max(x) by (c) > 1',
      '  annotations { # the texts',
      '    # shown first',
      '    summary = "s" # trails summary',
      '    # about runbook',
      '    runbook = "r",',
      '    # before the brace',
      '  }',
      '  labels {',
      '    team = "t"',
      '    # end of the first block',
      '  }',
      '  labels { tier = "1" }',
      '  labels {',
      '    # only a comment',
      '  }',
      '}',
      '',
    ].join('\n');
    const out = format(parse(text).value!);
    expect(out).toBe(
      [
        'rule a {',
        '  when max(x) by (c) > 1',
        '  labels {',
        '    team = "t"',
        '    # end of the first block',
        '    tier = "1"',
        '    # only a comment',
        '  }',
        '  # the texts',
        '  annotations {',
        '    # shown first',
        '    # trails summary',
        '    summary = "s"',
        '    # about runbook',
        '    runbook = "r"',
        '    # before the brace',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(format(parse(out).value!)).toBe(out);
  });

  it('keeps a comment of an empty block in an empty block', () => {
    const out = format(parse('rule a {\n  when x > 1\n  labels {\n    # none yet\n  }\n}\n').value!);
    expect(out).toBe('rule a {\n  when x > 1\n  labels {\n    # none yet\n  }\n}\n');
    expect(parse(out).value!.rules[0]!.labels).toEqual([]);
  });

  it('moves a comment inside a clause printed on one line just above that clause', () => {
    const text = ['rule a {', '  when sum(x) by (c)', '    # divided by the total', '    / sum(y) by (c) > 1', '  inhibit {', '    # only pages', '    severity="page"', '  }', '  scope c', '}', ''].join('\n');
    expect(format(parse(text).value!)).toBe(
      ['rule a {', '  # divided by the total', '  when sum(x) by (c) / sum(y) by (c) > 1', '  scope c', '  # only pages', '  inhibit {severity="page"}', '}', ''].join('\n'),
    );
  });

  it('is canonical with comments anywhere between tokens', () => {
    fc.assert(
      fc.property(file, fc.array(fc.constantFrom(' ', '\n', ' # c\n', '\n# own line\n'), { minLength: 1, maxLength: 4 }), (tree, seps) => {
        const tokens = ruleLexer.tokenize(format(tree)).tokens;
        const messy = tokens.map((t, i) => t.image + seps[i % seps.length]).join('');
        const once = format(parse(messy).value!);
        expect(format(parse(once).value!)).toBe(once);
        // Comments move, but none is lost or doubled.
        expect(once.match(/#/g)?.length ?? 0).toBe(messy.match(/#/g)?.length ?? 0);
        expect(strip(parse(once).value!.rules)).toEqual(strip(tree.rules));
      }),
      { numRuns: 200 },
    );
  });

  it('puts clauses in one fixed order with two-space indent', () => {
    const text = 'rule r { severity critical labels {team="x"} for 5m by (cluster) when max(cpu) by (cluster) > 90 }';
    expect(format(parse(text).value!)).toBe(
      ['rule r {', '  when max(cpu) by (cluster) > 90', '  by (cluster)', '  for 5m', '  severity critical', '  labels {', '    team = "x"', '  }', '}', ''].join('\n'),
    );
  });

  it('prints expect after step, with source or sources as the count reads', () => {
    const text = 'rule r { expect 1 sources by (agent) step 1m when avg(x) by (test) > 5 }';
    expect(format(parse(text).value!)).toBe(['rule r {', '  when avg(x) by (test) > 5', '  step 1m', '  expect 1 source by (agent)', '}', ''].join('\n'));
    expect(format(parse('rule r { when avg(x) by (test) > 5 expect 12 source by (agent, dc) }').value!)).toContain('  expect 12 sources by (agent, dc)\n');
  });

  it('brackets a condition ending in a call without grouping when a rule-level by follows', () => {
    const text = format(parse('rule r { when 5 < (sum(x)) by (c) }').value!);
    expect(text).toContain('when (5 < sum(x))\n  by (c)');
    const again = parse(text).value!.rules[0]!;
    expect(again.by?.labels).toEqual(['c']);
  });
});
