import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource, format, parse } from '../../src/language/index.js';
import { rule } from './arbitraries.js';
import { scenarioRules } from './scenario-rules.js';

function firstError(text: string) {
  const r = parse(text);
  expect(r.value).toBeUndefined();
  return r.diagnostics[0]!;
}

describe('parse', () => {
  it('reports a missing closing brace at the end of the input', () => {
    const d = firstError('rule r {\n  when x > 5\n');
    expect(d).toMatchObject({ code: 'RULE_SYNTAX', line: 3, column: 1 });
    expect(d.message).toContain("or '}' but found end of input");
  });

  it('reports an unexpected character with its line and column', () => {
    expect(firstError('rule r {\n  when x > 5 @\n}')).toMatchObject({ code: 'RULE_SYNTAX', line: 2, column: 14 });
  });

  it('reports an unknown clause and lists the clauses it expected', () => {
    const d = firstError('rule r {\n  when x > 5\n  sevrity critical\n}');
    expect(d).toMatchObject({ line: 3, column: 3 });
    expect(d.message).toContain('keep firing');
    expect(d.message).toContain("did you mean 'severity'?");
  });

  it('checks the spelling of words that follow a keyword', () => {
    expect(firstError('rule r { when x > 5 no date for 5m }')).toMatchObject({ line: 1, column: 24, message: "expected 'data' but found 'date'" });
    expect(firstError('rule r { when x > 5 for 4 in 5 steps }').message).toBe("expected 'of' but found 'in'");
    expect(firstError('rule r { when x > 5 no data for 5m later }').message).toContain('fire, resolve or hold');
    expect(firstError('rule r { when avg(x) by (t) > 5 expect 3 agents by (agent) }').message).toBe("expected 'sources' but found 'agents'");
  });

  it('reports an unknown string escape at the escape', () => {
    expect(firstError('rule r { when x{a="\\q"} > 5 }')).toMatchObject({ line: 1, column: 20 });
  });

  it('turns deep nesting into a diagnostic instead of overflowing the stack', () => {
    const d = firstError(`rule r { when ${'('.repeat(5000)}x${')'.repeat(5000)} > 1 }`);
    expect(d.message).toContain('nested');
    expect(firstError(`rule r { when ${'not '.repeat(5000)} x > 1 }`).message).toContain('nested');
  });

  it('turns a very long rule into a diagnostic', () => {
    expect(firstError(`rule r { when ${'x + '.repeat(5000)} x > 1 }`).message).toContain('longer than');
  });

  it('reports syntax errors of every rule in a file, not only the first', () => {
    const r = parse('rule a { when x > }\nrule b { when y < 2 }\nrule c { when ( }\n');
    expect(r.diagnostics.map((d) => d.line)).toEqual([1, 3]);
  });

  it('says a closing brace is missing when the next rule starts inside a rule', () => {
    expect(firstError('rule a {\n  when x > 1\nrule b { when y < 2 }')).toMatchObject({ line: 3, column: 1, message: "expected '}' to close the rule before the next 'rule'" });
  });

  it('reads an empty file or one with only comments as no rules', () => {
    expect(parse('').value?.rules).toEqual([]);
    expect(parse('# nothing here\n').value?.rules).toEqual([]);
  });

  it('reads several rules and comments in one file', () => {
    const r = parse('# a\nrule a { when x > 1 } # b\nrule b { when y < 2 }\n');
    expect(r.value?.rules.map((x) => x.name)).toEqual(['a', 'b']);
  });

  it('lets tags be called like keywords', () => {
    const r = compileSource('rule r { when x{for="a", step="b"} > 1 by (for) }');
    expect(r.diagnostics).toEqual([]);
  });
});

describe('parse never throws', () => {
  const samples = [...Object.values(scenarioRules)].join('\n');
  const alphabet = fc.constantFrom(
    ...'rule when by for step expect sources keep firing clear no data flapping notify signature scope inhibit event offset without within of steps sum ( ) { } , = =~ != > < and or not - + * / 5m 4 "s" x # \n'.split(' '),
  );

  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const r = parse(text);
        if (!r.value) expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('on sequences of rule-language tokens, and checking them never throws either', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (words) => {
        const text = `rule r { ${words.join(' ')} }`;
        const r = compileSource(text);
        for (const d of r.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(['RULE_SYNTAX', 'RULE_INVALID']).toContain(d.code);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated valid rules: deletions, insertions and duplications', () => {
    const mutation = fc.record({ at: fc.nat(), len: fc.nat(20), insert: fc.oneof(fc.string({ maxLength: 5 }), alphabet), kind: fc.constantFrom('delete', 'insert', 'dup') });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let text = samples;
        for (const m of ms) {
          const at = m.at % (text.length + 1);
          if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.len);
          else if (m.kind === 'insert') text = text.slice(0, at) + m.insert + text.slice(at);
          else text = text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
        }
        const r = compileSource(text);
        expect(r.rules.length > 0 || r.diagnostics.length > 0 || r.decls.length === 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('and neither does checking and compiling any parsed tree', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 2 }), (rules) => {
        compileSource(format({ rules }));
      }),
      { numRuns: 1000 },
    );
  });
});
