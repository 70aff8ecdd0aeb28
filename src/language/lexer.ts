/**
 * Tokens of the rule language. Keywords also count as names, so a tag may be
 * called `for` or `step`; only a bare metric name or function name must avoid them.
 * Words that only ever follow a keyword (`data`, `firing`, `of`, `steps`,
 * `within`, `changes`, `sources`) are not reserved at all: the grammar reads them as names
 * and the AST builder checks the spelling.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

const Name = createToken({ name: 'Name', pattern: Lexer.NA });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[a-zA-Z_][a-zA-Z0-9_:.]*/,
  categories: [Name],
});

function keyword(word: string, ...categories: TokenType[]): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name, ...categories],
  });
}

// Categories must exist before the tokens that belong to them.
export const GroupMode = createToken({ name: 'GroupMode', pattern: Lexer.NA });

export const Rule = keyword('rule');
export const When = keyword('when');
export const By = keyword('by', GroupMode);
export const Without = keyword('without', GroupMode);
export const For = keyword('for');
export const Severity = keyword('severity');
export const Labels = keyword('labels');
export const Annotations = keyword('annotations');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const Step = keyword('step');
export const Expect = keyword('expect');
export const Keep = keyword('keep');
export const Clear = keyword('clear');
export const No = keyword('no');
export const Flapping = keyword('flapping');
export const Notify = keyword('notify');
export const Signature = keyword('signature');
export const Scope = keyword('scope');
export const Inhibit = keyword('inhibit');
export const Event = keyword('event');
export const Offset = keyword('offset');

/** Every reserved word, for the reference and for error hints. */
export const reservedWords: readonly string[] = [
  'rule', 'when', 'by', 'without', 'for', 'severity', 'labels', 'annotations', 'and', 'or', 'not',
  'step', 'expect', 'keep', 'clear', 'no', 'flapping', 'notify', 'signature', 'scope', 'inhibit', 'event', 'offset',
];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
// Comments are kept aside (not parsed) so the formatter can put them back.
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });

// Duration must be tried before Number: `5m` is a duration, not `5` then `m`.
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:ms|s|m|h|d|w)(?:\d+(?:ms|s|m|h|d|w))*(?![a-zA-Z0-9_])/ });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\.)*"|`[^`]*`/ });

// Operator groups as categories: one CONSUME instead of an OR of closures on the hot path.
export const Comparison = createToken({ name: 'Comparison', pattern: Lexer.NA });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA });
export const MatcherOp = createToken({ name: 'MatcherOp', pattern: Lexer.NA });
export const MatchRe = createToken({ name: 'MatchRe', pattern: /=~/, categories: [MatcherOp] });
export const NotMatchRe = createToken({ name: 'NotMatchRe', pattern: /!~/, categories: [MatcherOp] });
export const Eq2 = createToken({ name: 'Eq2', pattern: /==/, categories: [Comparison] });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, categories: [Comparison, MatcherOp] });
export const Gte = createToken({ name: 'Gte', pattern: />=/, categories: [Comparison] });
export const Lte = createToken({ name: 'Lte', pattern: /<=/, categories: [Comparison] });
export const Gt = createToken({ name: 'Gt', pattern: />/, categories: [Comparison] });
export const Lt = createToken({ name: 'Lt', pattern: /</, categories: [Comparison] });
export const Equals = createToken({ name: 'Equals', pattern: /=/, categories: [MatcherOp] });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AddOp] });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AddOp] });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: [MulOp] });
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: [MulOp] });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

export const allTokens: TokenType[] = [
  WhiteSpace, Comment, Duration, NumberLit, StringLit,
  MatchRe, NotMatchRe, Eq2, NotEq, Gte, Lte, Gt, Lt, Equals,
  Plus, Minus, Star, Slash, LParen, RParen, LCurly, RCurly, Comma,
  // Longest keyword first where one is a prefix of another: `notify` before `not` before `no`.
  Rule, When, By, Without, For, Severity, Labels, Annotations, And, Or, Notify, Not, No,
  Step, Expect, Keep, Clear, Flapping, Signature, Scope, Inhibit, Event, Offset,
  Identifier, Name, Comparison, AddOp, MulOp, MatcherOp, GroupMode,
];

export { Name };

export const ruleLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
