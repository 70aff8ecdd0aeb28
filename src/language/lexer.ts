/** Tokens of the rule language. Keywords also count as names, so a tag may be called `for`. */
import { createToken, Lexer, type TokenType } from 'chevrotain';

const Name = createToken({ name: 'Name', pattern: Lexer.NA });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[a-zA-Z_][a-zA-Z0-9_:.]*/,
  categories: [Name],
});

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name],
  });
}

export const Rule = keyword('rule');
export const When = keyword('when');
export const By = keyword('by');
export const Without = keyword('without');
export const For = keyword('for');
export const Severity = keyword('severity');
export const Labels = keyword('labels');
export const Annotations = keyword('annotations');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });

// Duration must be tried before Number: `5m` is a duration, not `5` then `m`.
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:ms|s|m|h|d|w)(?:\d+(?:ms|s|m|h|d|w))*(?![a-zA-Z0-9_])/ });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\.)*"|`[^`]*`/ });

export const MatchRe = createToken({ name: 'MatchRe', pattern: /=~/ });
export const NotMatchRe = createToken({ name: 'NotMatchRe', pattern: /!~/ });
export const Eq2 = createToken({ name: 'Eq2', pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/ });
export const Gte = createToken({ name: 'Gte', pattern: />=/ });
export const Lte = createToken({ name: 'Lte', pattern: /<=/ });
export const Gt = createToken({ name: 'Gt', pattern: />/ });
export const Lt = createToken({ name: 'Lt', pattern: /</ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Duration,
  NumberLit,
  StringLit,
  MatchRe,
  NotMatchRe,
  Eq2,
  NotEq,
  Gte,
  Lte,
  Gt,
  Lt,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  LCurly,
  RCurly,
  Comma,
  Rule,
  When,
  By,
  Without,
  For,
  Severity,
  Labels,
  Annotations,
  And,
  Or,
  Not,
  Identifier,
  Name,
];

export { Name };

export const ruleLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
