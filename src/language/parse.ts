/** Text → AST. Never throws: every failure is a diagnostic with line and column. */
import type { IToken, TokenType } from 'chevrotain';
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import type { RuleFile } from './ast.js';
import { grammar } from './grammar.js';
import { ruleLexer } from './lexer.js';
import { AstBuilder } from './to-ast.js';

export interface ParseResult {
  /** Present when there were no syntax errors. */
  readonly value?: RuleFile;
  readonly diagnostics: readonly Diagnostic[];
}

const display: Record<string, string> = {
  LCurly: "'{'",
  RCurly: "'}'",
  LParen: "'('",
  RParen: "')'",
  Comma: "','",
  Equals: "'='",
  StringLit: 'a string',
  NumberLit: 'a number',
  Duration: 'a duration such as 5m',
  Identifier: 'a name',
  Name: 'a name',
  EOF: 'end of input',
};

function describe(t: TokenType): string {
  return display[t.name] ?? `'${t.name.toLowerCase()}'`;
}

function found(t: IToken): string {
  return t.tokenType.name === 'EOF' ? 'end of input' : `'${t.image}'`;
}

/** Where a token sits; EOF has no position, so point just past the text. */
function positionOf(t: IToken, text: string): { line: number; column: number } {
  if (t.tokenType.name !== 'EOF' && t.startLine !== undefined) return { line: t.startLine, column: t.startColumn ?? 1 };
  const lines = text.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export function parse(text: string): ParseResult {
  const lexed = ruleLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    return {
      diagnostics: lexed.errors.map((e) => ({
        code: ErrorCodes.RULE_SYNTAX,
        message: `unexpected character '${text.slice(e.offset, e.offset + e.length).slice(0, 1)}'`,
        line: e.line ?? 1,
        column: e.column ?? 1,
      })),
    };
  }
  grammar.input = lexed.tokens;
  const cst = grammar.file();
  if (grammar.errors.length > 0) {
    return {
      diagnostics: grammar.errors.map((e) => {
        const at = positionOf(e.token, text);
        const expected = e.name === 'MismatchedTokenException' ? expectedFromMessage(e.message) : undefined;
        const message = expected
          ? `expected ${expected} but found ${found(e.token)}`
          : e.name === 'NotAllInputParsedException'
            ? `expected 'rule' but found ${found(e.token)}`
            : `unexpected ${found(e.token)}${context(e.context.ruleStack)}`;
        return { code: ErrorCodes.RULE_SYNTAX, message, ...at };
      }),
    };
  }
  const builder = new AstBuilder();
  const value = builder.file(cst);
  if (builder.diagnostics.length > 0) return { diagnostics: builder.diagnostics };
  return { value, diagnostics: [] };
}

function expectedFromMessage(message: string): string | undefined {
  const m = /--> (\w+) <--/.exec(message);
  if (!m) return undefined;
  return describe({ name: m[1]! } as TokenType);
}

const ruleNames: Record<string, string> = {
  clause: "a clause (when, by, for, severity, labels, annotations) or '}'",
  primary: 'an expression',
  matcher: 'a tag matcher such as cluster="a"',
};

function context(stack: string[]): string {
  const innermost = stack[stack.length - 1];
  const hint = innermost ? ruleNames[innermost] : undefined;
  return hint ? `; expected ${hint}` : '';
}
