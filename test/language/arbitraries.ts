/**
 * fast-check generators of rule ASTs in the parser's normal form (negative
 * numbers folded, no unary minus over a number), and helpers to compare trees.
 */
import fc from 'fast-check';
import type { BinaryOp, EventSelector, Expr, Matcher, MatchOp, Pair, RuleDecl, Span } from '../../src/language/index.js';
import { reservedWords } from '../../src/language/index.js';

const span: Span = { line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0 };

const reserved = new Set(reservedWords);
/** Names a metric or function may have: not reserved. */
export const identifier = fc.stringMatching(/^[a-z_][a-z0-9_:.]{0,7}$/).filter((s) => !reserved.has(s));
/** Names a tag may have: reserved words are fine there. */
export const labelName = fc.oneof(identifier, fc.constantFrom('for', 'step', 'by', 'event', 'no', 'data'));
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
const anyName = fc.oneof(identifier, text, fc.constantFrom('when', 'without', 'a-b c'));
const durationMs = fc.oneof(fc.integer({ min: 0, max: 10 * 86_400_000 }), fc.constantFrom(60_000, 300_000, 3_600_000));
const number = fc
  .oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -1000, max: 1000 }))
  .filter((n) => !Object.is(n, -0));
const nonNegative = fc.oneof(fc.nat(1000), fc.double({ min: 0, max: 1e6, noNaN: true })).filter((n) => !Object.is(n, -0));

const matcher: fc.Arbitrary<Matcher> = fc.record({
  label: labelName,
  op: fc.constantFrom<MatchOp>('=', '!=', '=~', '!~'),
  value: text,
  span: fc.constant(span),
});
const matchers = fc.array(matcher, { maxLength: 3 });

const eventSelector: fc.Arbitrary<EventSelector> = fc.record({ kind: fc.constant('event' as const), type: anyName, matchers, span: fc.constant(span) });

const binaryOps: BinaryOp[] = ['+', '-', '*', '/', '>', '>=', '<', '<=', '==', '!=', 'and', 'or'];

export const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('number' as const), value: number, span: fc.constant(span) }),
    fc.record({ kind: fc.constant('duration' as const), ms: durationMs, span: fc.constant(span) }),
    fc.record({ kind: fc.constant('selector' as const), metric: identifier, matchers, span: fc.constant(span) }),
    fc.record(
      {
        kind: fc.constant('call' as const),
        fn: fc.oneof(identifier, fc.constantFrom('sum', 'avg_over', 'rate', 'growing', 'fill')),
        args: fc.array(fc.oneof(tie('expr'), eventSelector), { maxLength: 3 }),
        grouping: fc.record({ mode: fc.constantFrom<'by' | 'without'>('by', 'without'), labels: fc.array(labelName, { maxLength: 3 }), span: fc.constant(span) }),
        span: fc.constant(span),
      },
      { requiredKeys: ['kind', 'fn', 'args', 'span'] },
    ),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), left: tie('expr'), right: tie('expr'), span: fc.constant(span) }),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constant('not' as const), operand: tie('expr'), span: fc.constant(span) }),
    // The parser folds `-5` into a number, so a unary minus never sits on a number.
    fc.record({ kind: fc.constant('unary' as const), op: fc.constant('-' as const), operand: tie('expr').filter((e) => e.kind !== 'number'), span: fc.constant(span) }),
    fc.record({ kind: fc.constant('offset' as const), operand: tie('expr'), ms: durationMs, span: fc.constant(span) }),
  ),
})).expr;

const sequence: fc.Arbitrary<Expr> = fc.record({ kind: fc.constant('sequence' as const), start: eventSelector, end: eventSelector, withinMs: durationMs, span: fc.constant(span) });
const pair: fc.Arbitrary<Pair> = fc.record({ key: labelName, value: text, span: fc.constant(span), valueSpan: fc.constant(span) });
const dur = fc.record({ ms: durationMs, span: fc.constant(span) });

export const rule: fc.Arbitrary<RuleDecl> = fc.record(
  {
    name: anyName,
    nameSpan: fc.constant(span),
    span: fc.constant(span),
    when: fc.oneof({ weight: 4, arbitrary: expr }, { weight: 1, arbitrary: sequence }),
    by: fc.record({ mode: fc.constant('by' as const), labels: fc.array(labelName, { maxLength: 3 }), span: fc.constant(span) }),
    step: dur,
    expect: fc.record({ sources: nonNegative, by: fc.array(labelName, { maxLength: 3 }), span: fc.constant(span) }),
    hold: fc.oneof(
      fc.record({ kind: fc.constant('duration' as const), ms: durationMs, span: fc.constant(span) }),
      fc.record({ kind: fc.constant('count' as const), n: nonNegative, m: nonNegative, span: fc.constant(span) }),
    ),
    keepFiring: dur,
    clear: expr,
    noData: fc.record({ ms: durationMs, action: fc.constantFrom('fire' as const, 'resolve' as const, 'hold' as const), span: fc.constant(span) }, { requiredKeys: ['ms', 'span'] }),
    flapping: fc.record({ changes: nonNegative, withinMs: durationMs, span: fc.constant(span) }),
    severity: fc.record({ name: anyName, span: fc.constant(span) }),
    labels: fc.array(pair, { maxLength: 3 }),
    annotations: fc.array(pair, { maxLength: 3 }),
    notify: fc.array(fc.record({ name: anyName, span: fc.constant(span) }), { maxLength: 3 }),
    signature: fc.record({ value: text, span: fc.constant(span), valueSpan: fc.constant(span) }),
    scope: fc.record({ name: labelName, span: fc.constant(span) }),
    inhibit: fc.record({ matchers, span: fc.constant(span) }),
    clauses: fc.constant([]),
  },
  { requiredKeys: ['name', 'nameSpan', 'span', 'labels', 'annotations', 'notify', 'clauses'] },
);

/** The tree without positions, comments, and the record of how clauses were ordered in the text. */
export function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || k === 'nameSpan' || k === 'valueSpan' || k === 'clauses' || k === 'comments' || k === 'trailingComments') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
}
