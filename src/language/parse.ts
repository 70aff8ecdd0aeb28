/** Text → AST. Never throws: every failure is a diagnostic with line and column. */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import type { RuleDecl, RuleFile } from './ast.js';
import { grammar } from './grammar.js';
import { ruleLexer } from './lexer.js';
import { closest } from './suggest.js';
import { attachComments } from './comments.js';
import { AstBuilder } from './to-ast.js';

export interface ParseResult {
  /** Present when there were no syntax errors. */
  readonly value?: RuleFile;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Deepest bracket nesting accepted. The parser and every later pass recurse
 * over the tree, so a pathological `((((…` must become an error, not a stack overflow.
 */
const maxNesting = 100;
/** Longest rule accepted, in tokens: a chain `a + a + …` is as deep a tree as a nested one. */
const maxRuleTokens = 5000;

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
  if (t.tokenType.name !== 'EOF' && t.startLine !== undefined && !Number.isNaN(t.startLine)) return { line: t.startLine, column: t.startColumn ?? 1 };
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function syntax(message: string, line: number, column: number): Diagnostic {
  return { code: ErrorCodes.RULE_SYNTAX, message, line, column };
}

export function parse(text: string): ParseResult {
  try {
    return parseUnsafe(text);
  } catch (cause) {
    // Defence in depth: nothing above should throw, but a parse must never take the caller down.
    return { diagnostics: [syntax(`the rule text could not be parsed: ${(cause as Error).message}`, 1, 1)] };
  }
}

function parseUnsafe(text: string): ParseResult {
  const lexed = ruleLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    return {
      diagnostics: lexed.errors.map((e) => syntax(`unexpected character '${text.slice(e.offset, e.offset + 1)}'`, e.line ?? 1, e.column ?? 1)),
    };
  }
  const deep = tooDeep(lexed.tokens);
  if (deep) return { diagnostics: [syntax(deep.message, deep.token.startLine ?? 1, deep.token.startColumn ?? 1)] };
  // Rule by rule: each rule's CST is dropped as soon as its AST is built, so a
  // file of 10,000 rules costs what 10,000 separate rules cost, and a syntax
  // error in one rule does not hide the errors of the next.
  const builder = new AstBuilder();
  const diagnostics: Diagnostic[] = [];
  const rules: RuleDecl[] = [];
  for (const chunk of ruleChunks(lexed.tokens)) {
    grammar.input = chunk;
    const cst = grammar.ruleDecl();
    if (grammar.errors.length > 0) {
      const e = grammar.errors[0]!;
      diagnostics.push(describeError(e, text));
      continue;
    }
    rules.push(builder.rule(cst));
  }
  diagnostics.push(...builder.diagnostics);
  if (diagnostics.length > 0) return { diagnostics: diagnostics.sort((a, b) => a.line - b.line || a.column - b.column) };
  const comments = (lexed.groups.comments ?? []) as IToken[];
  return { value: comments.length > 0 ? attachComments(text, rules, comments) : { rules }, diagnostics: [] };
}

/** Splits the tokens before each `rule` keyword outside brackets. */
function ruleChunks(tokens: readonly IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const n = tokens[i]!.tokenType.name;
    if (n === 'Rule' && depth === 0 && i > start) {
      chunks.push(tokens.slice(start, i));
      start = i;
    }
    if (n === 'LCurly' || n === 'LParen') depth++;
    else if (n === 'RCurly' || n === 'RParen') depth = Math.max(0, depth - 1);
  }
  if (start < tokens.length) chunks.push(tokens.slice(start));
  return chunks;
}

function describeError(e: IRecognitionException, text: string): Diagnostic {
  const at = positionOf(e.token, text);
  const stack = e.context.ruleStack;
  const expected = e.name === 'MismatchedTokenException' ? expectedFromMessage(e.message) : undefined;
  const message =
    expected === "'}'" && stack[stack.length - 1] === 'ruleDecl'
      ? unknownClause(e.token)
      : expected
        ? `expected ${expected} but found ${found(e.token)}`
        : e.name === 'NotAllInputParsedException'
          ? `expected 'rule' but found ${found(e.token)}`
          : `unexpected ${found(e.token)}${context(stack)}`;
  return syntax(message, at.line, at.column);
}

function tooDeep(tokens: readonly IToken[]): { token: IToken; message: string } | undefined {
  let depth = 0;
  let inRule = 0;
  // `not not not …` and `- - - …` recurse without brackets, so runs of them count too.
  let prefixRun = 0;
  for (const t of tokens) {
    const n = t.tokenType.name;
    if (n === 'LParen' || n === 'LCurly') depth++;
    else if (n === 'RParen' || n === 'RCurly') depth--;
    prefixRun = n === 'Not' || n === 'Minus' ? prefixRun + 1 : 0;
    if (depth + prefixRun > maxNesting) return { token: t, message: `expression nested more than ${maxNesting} deep` };
    inRule = n === 'Rule' ? 0 : inRule + 1;
    if (inRule > maxRuleTokens) return { token: t, message: `rule longer than ${maxRuleTokens} tokens` };
  }
  return undefined;
}

const clauseWords = ['when', 'by', 'step', 'expect', 'for', 'keep', 'clear', 'no', 'flapping', 'severity', 'labels', 'annotations', 'notify', 'signature', 'scope', 'inhibit'];

function unknownClause(t: IToken): string {
  if (t.tokenType.name === 'Rule') return "expected '}' to close the rule before the next 'rule'";
  const hint = t.tokenType.name === 'EOF' ? undefined : closest(t.image, clauseWords);
  return `expected ${ruleNames.clause} but found ${found(t)}${hint ? `; did you mean '${hint}'?` : ''}`;
}

function expectedFromMessage(message: string): string | undefined {
  const m = /--> (\w+) <--/.exec(message);
  if (!m) return undefined;
  return describe({ name: m[1]! } as TokenType);
}

const ruleNames: Record<string, string> = {
  clause:
    "a clause (when, by, step, expect, for, keep firing, clear when, no data, flapping, severity, labels, annotations, notify, signature, scope, inhibit) or '}'",
  primary: 'an expression',
  argument: 'an expression or an event selector',
  matcher: 'a tag matcher such as cluster="a"',
  nameOrString: 'a name or a string',
};

function context(stack: string[]): string {
  const innermost = stack[stack.length - 1];
  const hint = innermost ? ruleNames[innermost] : undefined;
  return hint ? `; expected ${hint}` : '';
}
