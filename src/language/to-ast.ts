/** Walks the concrete syntax tree and builds the AST: the one place where syntax gets meaning. */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import type { BinaryOp, ClauseRef, Expr, Grouping, Matcher, MatchOp, Pair, RuleDecl, RuleFile, Span } from './ast.js';
import { parseDuration } from './duration.js';

type Children = Record<string, CstElement[] | undefined>;

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

function nodeSpan(n: CstNode): Span {
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

function join(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn, start: a.start, end: b.end };
}

/** The single child node/token under `key`, when the grammar guarantees one. */
function node(c: Children, key: string): CstNode {
  return c[key]![0] as CstNode;
}
function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}
function token(c: Children, key: string): IToken | undefined {
  const e = c[key]?.[0];
  return e && isToken(e) ? e : undefined;
}
function tokens(c: Children, ...keys: string[]): IToken[] {
  const out: IToken[] = [];
  for (const k of keys) for (const e of c[k] ?? []) if (isToken(e)) out.push(e);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  file(cst: CstNode): RuleFile {
    return { rules: nodes(cst.children, 'ruleDecl').map((r) => this.rule(r)) };
  }

  private error(span: Span, message: string): void {
    this.diagnostics.push({ code: ErrorCodes.RULE_SYNTAX, message, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn });
  }

  /** Decodes a string literal: `"..."` with escapes, or a raw `` `...` `` (handy for regexes). */
  string(t: IToken): string {
    const raw = t.image;
    if (raw.startsWith('`')) return raw.slice(1, -1);
    let out = '';
    for (let i = 1; i < raw.length - 1; i++) {
      const ch = raw[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = raw[++i]!;
      const simple: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r' };
      if (next in simple) out += simple[next];
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
        out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
        i += 4;
      } else {
        const s = tokenSpan(t);
        this.error(
          { ...s, column: s.column + i - 1, endColumn: s.column + i + 1 },
          `unknown escape "\\${next}" in string; write "\\\\${next}" or use a raw \`string\``,
        );
      }
    }
    return out;
  }

  private rule(n: CstNode): RuleDecl {
    const c = n.children;
    const nameTok = token(c, 'Name') ?? token(c, 'StringLit')!;
    const name = nameTok.tokenType.name === 'StringLit' ? this.string(nameTok) : nameTok.image;
    const clauses: ClauseRef[] = [];
    let when: Expr | undefined;
    let by: Grouping | undefined;
    let forMs: number | undefined;
    let forSpan: Span | undefined;
    let severity: string | undefined;
    const labels: Pair[] = [];
    const annotations: Pair[] = [];
    for (const clause of nodes(c, 'clause')) {
      const [kindKey] = Object.keys(clause.children);
      const inner = node(clause.children, kindKey!);
      const ic = inner.children;
      const kw = tokens(ic, 'When', 'By', 'For', 'Severity', 'Labels', 'Annotations')[0]!;
      clauses.push({ keyword: kw.image, span: tokenSpan(kw) });
      switch (inner.name) {
        case 'whenClause':
          when = this.expr(node(ic, 'expr'));
          break;
        case 'byClause':
          by = { mode: 'by', labels: this.names(node(ic, 'nameList')), span: nodeSpan(inner) };
          break;
        case 'forClause': {
          const d = token(ic, 'Duration')!;
          forMs = parseDuration(d.image);
          forSpan = tokenSpan(d);
          break;
        }
        case 'severityClause': {
          const t = token(ic, 'Name') ?? token(ic, 'StringLit')!;
          severity = t.tokenType.name === 'StringLit' ? this.string(t) : t.image;
          break;
        }
        case 'labelsClause':
          labels.push(...this.pairs(node(ic, 'pairBlock')));
          break;
        case 'annotationsClause':
          annotations.push(...this.pairs(node(ic, 'pairBlock')));
          break;
      }
    }
    return { name, nameSpan: tokenSpan(nameTok), span: nodeSpan(n), when, by, forMs, forSpan, severity, labels, annotations, clauses };
  }

  private names(n: CstNode): string[] {
    return tokens(n.children, 'Name').map((t) => t.image);
  }

  private pairs(n: CstNode): Pair[] {
    return nodes(n.children, 'pair').map((p) => ({
      key: token(p.children, 'Name')!.image,
      value: this.string(token(p.children, 'StringLit')!),
      span: nodeSpan(p),
    }));
  }

  /** Folds `a op b op c` (operands and operator tokens interleaved) to the left. */
  private chain(n: CstNode, operandKey: string, opKeys: string[], sub: (n: CstNode) => Expr): Expr {
    const operands = nodes(n.children, operandKey).map(sub);
    const ops = tokens(n.children, ...opKeys);
    let acc = operands[0]!;
    for (let i = 0; i < ops.length; i++) {
      const right = operands[i + 1]!;
      acc = { kind: 'binary', op: ops[i]!.image as BinaryOp, left: acc, right, span: join(acc.span, right.span) };
    }
    return acc;
  }

  expr(n: CstNode): Expr {
    return this.chain(n, 'andExpr', ['Or'], (a) => this.chain(a, 'notExpr', ['And'], (x) => this.notExpr(x)));
  }

  private notExpr(n: CstNode): Expr {
    const not = token(n.children, 'Not');
    if (not) {
      const operand = this.notExpr(node(n.children, 'notExpr'));
      return { kind: 'unary', op: 'not', operand, span: join(tokenSpan(not), operand.span) };
    }
    return this.chain(node(n.children, 'cmpExpr'), 'addExpr', ['Gt', 'Gte', 'Lt', 'Lte', 'Eq2', 'NotEq'], (a) =>
      this.chain(a, 'mulExpr', ['Plus', 'Minus'], (m) => this.chain(m, 'unaryExpr', ['Star', 'Slash'], (u) => this.unary(u))),
    );
  }

  private unary(n: CstNode): Expr {
    const minus = token(n.children, 'Minus');
    if (minus) {
      const operand = this.unary(node(n.children, 'unaryExpr'));
      if (operand.kind === 'number') return { kind: 'number', value: -operand.value, span: join(tokenSpan(minus), operand.span) };
      return { kind: 'unary', op: '-', operand, span: join(tokenSpan(minus), operand.span) };
    }
    return this.primary(node(n.children, 'primary'));
  }

  private primary(n: CstNode): Expr {
    const c = n.children;
    const num = token(c, 'NumberLit');
    if (num) return { kind: 'number', value: Number(num.image), span: tokenSpan(num) };
    const dur = token(c, 'Duration');
    if (dur) return { kind: 'duration', ms: parseDuration(dur.image)!, span: tokenSpan(dur) };
    if (c.expr) return this.expr(node(c, 'expr'));
    if (c.call) return this.call(node(c, 'call'));
    return this.selector(node(c, 'selector'));
  }

  private call(n: CstNode): Expr {
    const c = n.children;
    const mode = token(c, 'By') ?? token(c, 'Without');
    const grouping: Grouping | undefined = mode
      ? { mode: mode.image as 'by' | 'without', labels: this.names(node(c, 'nameList')), span: join(tokenSpan(mode), nodeSpan(node(c, 'nameList'))) }
      : undefined;
    return {
      kind: 'call',
      fn: token(c, 'Identifier')!.image,
      args: nodes(c, 'expr').map((e) => this.expr(e)),
      ...(grouping ? { grouping } : {}),
      span: nodeSpan(n),
    };
  }

  private selector(n: CstNode): Expr {
    const c = n.children;
    const matchers: Matcher[] = nodes(c, 'matcher').map((m) => {
      const mc = m.children;
      const op = tokens(mc, 'Equals', 'NotEq', 'MatchRe', 'NotMatchRe')[0]!;
      return { label: token(mc, 'Name')!.image, op: op.image as MatchOp, value: this.string(token(mc, 'StringLit')!), span: nodeSpan(m) };
    });
    return { kind: 'selector', metric: token(c, 'Identifier')!.image, matchers, span: nodeSpan(n) };
  }
}
