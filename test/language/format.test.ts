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

  it('gives the same text whatever the whitespace and comments between tokens', () => {
    const separator = fc.constantFrom(' ', '\n', '\t ', ' # a comment\n', '\r\n  ');
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

  it('puts clauses in one fixed order with two-space indent', () => {
    const text = 'rule r { severity critical labels {team="x"} for 5m by (cluster) when max(cpu) by (cluster) > 90 }';
    expect(format(parse(text).value!)).toBe(
      ['rule r {', '  when max(cpu) by (cluster) > 90', '  by (cluster)', '  for 5m', '  severity critical', '  labels {', '    team = "x"', '  }', '}', ''].join('\n'),
    );
  });

  it('brackets a condition ending in a call without grouping when a rule-level by follows', () => {
    const text = format(parse('rule r { when 5 < (sum(x)) by (c) }').value!);
    expect(text).toContain('when (5 < sum(x))\n  by (c)');
    const again = parse(text).value!.rules[0]!;
    expect(again.by?.labels).toEqual(['c']);
  });
});
