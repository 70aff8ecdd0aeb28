/** Expression part of the CST → AST walk: operators folded, literals decoded, negative numbers folded. */
import type { CstNode, IToken } from 'chevrotain';
import type { BinaryOp, EventSelector, Expr, Grouping, Matcher, MatchOp, Span } from './ast.js';
import { join, node, nodes, nodeSpan, token, tokens, tokenSpan } from './cst.js';
import { parseDuration } from './duration.js';

/** What the expression walk needs from the rule walk: decoding and error reporting. */
export interface BuildContext {
  string(t: IToken): string;
  error(span: Span, message: string): void;
}

export function nameOrString(ctx: BuildContext, n: CstNode): { value: string; token: IToken } {
  const t = token(n.children, 'Name') ?? token(n.children, 'StringLit')!;
  return { value: t.tokenType.name === 'StringLit' ? ctx.string(t) : t.image, token: t };
}

/** A duration token's milliseconds; the lexer guarantees the shape. */
export function durationMs(t: IToken): number {
  return parseDuration(t.image) ?? 0;
}

/** Checks a word the grammar accepted as any name (`data`, `firing`, `of`, ...). */
export function softWord(ctx: BuildContext, t: IToken | undefined, word: string): void {
  if (t && t.image !== word) ctx.error(tokenSpan(t), `expected '${word}' but found '${t.image}'`);
}

export function names(n: CstNode): string[] {
  return tokens(n.children, 'Name').map((t) => t.image);
}

export function matchers(ctx: BuildContext, block: CstNode | undefined): Matcher[] {
  if (!block) return [];
  return nodes(block.children, 'matcher').map((m) => {
    const mc = m.children;
    const op = token(mc, 'MatcherOp')!;
    return { label: token(mc, 'Name')!.image, op: op.image as MatchOp, value: ctx.string(token(mc, 'StringLit')!), span: nodeSpan(m) };
  });
}

export function eventSelector(ctx: BuildContext, n: CstNode): EventSelector {
  const c = n.children;
  const block = c.matcherBlock ? node(c, 'matcherBlock') : undefined;
  return { kind: 'event', type: nameOrString(ctx, node(c, 'nameOrString')).value, matchers: matchers(ctx, block), span: nodeSpan(n) };
}

export function sequence(ctx: BuildContext, n: CstNode): Expr {
  const c = n.children;
  const [start, end] = nodes(c, 'eventSelector').map((e) => eventSelector(ctx, e));
  softWord(ctx, token(c, 'Name'), 'within');
  return { kind: 'sequence', start: start!, end: end!, withinMs: durationMs(token(c, 'Duration')!), span: nodeSpan(n) };
}

/** Folds `a op b op c` (operands and operator tokens interleaved) to the left. */
function chain(n: CstNode, operandKey: string, opKey: string, sub: (n: CstNode) => Expr): Expr {
  const operands = nodes(n.children, operandKey);
  if (operands.length === 1) return sub(operands[0]!);
  const ops = tokens(n.children, opKey);
  let acc = sub(operands[0]!);
  for (let i = 0; i < ops.length; i++) {
    const right = sub(operands[i + 1]!);
    acc = { kind: 'binary', op: ops[i]!.image as BinaryOp, left: acc, right, span: join(acc.span, right.span) };
  }
  return acc;
}

export function expr(ctx: BuildContext, n: CstNode): Expr {
  return chain(n, 'andExpr', 'Or', (a) => chain(a, 'notExpr', 'And', (x) => notExpr(ctx, x)));
}

function notExpr(ctx: BuildContext, n: CstNode): Expr {
  const not = token(n.children, 'Not');
  if (not) {
    const operand = notExpr(ctx, node(n.children, 'notExpr'));
    return { kind: 'unary', op: 'not', operand, span: join(tokenSpan(not), operand.span) };
  }
  return chain(node(n.children, 'cmpExpr'), 'addExpr', 'Comparison', (a) =>
    chain(a, 'mulExpr', 'AddOp', (m) => chain(m, 'unaryExpr', 'MulOp', (u) => unary(ctx, u))),
  );
}

function unary(ctx: BuildContext, n: CstNode): Expr {
  const minus = token(n.children, 'Minus');
  if (minus) {
    const operand = unary(ctx, node(n.children, 'unaryExpr'));
    // `-5` is one number, so `x > -5` prints back the same way.
    if (operand.kind === 'number') return { kind: 'number', value: 0 - operand.value, span: join(tokenSpan(minus), operand.span) };
    return { kind: 'unary', op: '-', operand, span: join(tokenSpan(minus), operand.span) };
  }
  const p = node(n.children, 'postfixExpr');
  const operand = primary(ctx, node(p.children, 'primary'));
  const offset = token(p.children, 'Duration');
  if (!offset) return operand;
  return { kind: 'offset', operand, ms: durationMs(offset), span: join(operand.span, tokenSpan(offset)) };
}

function primary(ctx: BuildContext, n: CstNode): Expr {
  const c = n.children;
  const num = token(c, 'NumberLit');
  if (num) return { kind: 'number', value: Number(num.image), span: tokenSpan(num) };
  const dur = token(c, 'Duration');
  if (dur) return { kind: 'duration', ms: durationMs(dur), span: tokenSpan(dur) };
  if (c.expr) return expr(ctx, node(c, 'expr'));
  if (c.call) return call(ctx, node(c, 'call'));
  const s = node(c, 'selector');
  const block = s.children.matcherBlock ? node(s.children, 'matcherBlock') : undefined;
  return { kind: 'selector', metric: token(s.children, 'Identifier')!.image, matchers: matchers(ctx, block), span: nodeSpan(s) };
}

function call(ctx: BuildContext, n: CstNode): Expr {
  const c = n.children;
  const mode = token(c, 'GroupMode');
  const grouping: Grouping | undefined = mode
    ? { mode: mode.image as 'by' | 'without', labels: names(node(c, 'nameList')), span: join(tokenSpan(mode), nodeSpan(node(c, 'nameList'))) }
    : undefined;
  const args = nodes(c, 'argument').map((a) => (a.children.eventSelector ? eventSelector(ctx, node(a.children, 'eventSelector')) : expr(ctx, node(a.children, 'expr'))));
  return { kind: 'call', fn: token(c, 'Identifier')!.image, args, ...(grouping ? { grouping } : {}), span: nodeSpan(n) };
}
