/** Small accessors over chevrotain's concrete syntax tree, and the spans the AST records. */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from './ast.js';

export type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

export function tokenSpan(t: IToken): Span {
  return {
    line: t.startLine ?? 1,
    column: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endColumn: (t.endColumn ?? t.startColumn ?? 0) + 1,
    start: t.startOffset,
    end: (t.endOffset ?? t.startOffset) + 1,
  };
}

export function nodeSpan(n: CstNode): Span {
  const l = n.location!;
  return {
    line: l.startLine ?? 1,
    column: l.startColumn ?? 1,
    endLine: l.endLine ?? 1,
    endColumn: (l.endColumn ?? 0) + 1,
    start: l.startOffset,
    end: (l.endOffset ?? l.startOffset) + 1,
  };
}

export function join(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn, start: a.start, end: b.end };
}

/** The single child node under `key`, when the grammar guarantees one. */
export function node(c: Children, key: string): CstNode {
  return c[key]![0] as CstNode;
}

export function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}

export function token(c: Children, key: string): IToken | undefined {
  const e = c[key]?.[0];
  return e && isToken(e) ? e : undefined;
}

/** Tokens under any of `keys`, in source order. */
export function tokens(c: Children, ...keys: string[]): IToken[] {
  const out: IToken[] = [];
  for (const k of keys) for (const e of c[k] ?? []) if (isToken(e)) out.push(e);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}
