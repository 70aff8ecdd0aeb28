/** AST → canonical text. `parse(format(ast))` gives back the same AST (modulo spans). */
import type { BinaryOp, Expr, Grouping, Pair, RuleDecl, RuleFile } from './ast.js';
import { formatDuration } from './duration.js';

const precedence: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  '>': 4,
  '>=': 4,
  '<': 4,
  '<=': 4,
  '==': 4,
  '!=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};
const notPrecedence = 3;
const unaryMinusPrecedence = 7;

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const bareName = /^[a-zA-Z_][a-zA-Z0-9_:.]*$/;

function name(s: string): string {
  return bareName.test(s) ? s : quote(s);
}

function grouping(g: Grouping): string {
  return `${g.mode} (${g.labels.join(', ')})`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : String(n);
}

export function formatExpr(e: Expr, parent = 0): string {
  switch (e.kind) {
    case 'number':
      return e.value < 0 && parent >= unaryMinusPrecedence ? `(${formatNumber(e.value)})` : formatNumber(e.value);
    case 'duration':
      return formatDuration(e.ms);
    case 'selector':
      return e.matchers.length === 0 ? e.metric : `${e.metric}{${e.matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(', ')}}`;
    case 'call':
      return `${e.fn}(${e.args.map((a) => formatExpr(a)).join(', ')})${e.grouping ? ` ${grouping(e.grouping)}` : ''}`;
    case 'unary': {
      const own = e.op === 'not' ? notPrecedence : unaryMinusPrecedence;
      const text = e.op === 'not' ? `not ${formatExpr(e.operand, own)}` : `-${formatExpr(e.operand, own)}`;
      return own < parent ? `(${text})` : text;
    }
    case 'binary': {
      const own = precedence[e.op];
      // Comparisons do not chain, so both sides of one bind tighter; other operators are left-associative.
      const leftMin = own === 4 ? own + 1 : own;
      const text = `${formatExpr(e.left, leftMin)} ${e.op} ${formatExpr(e.right, own + 1)}`;
      return own < parent ? `(${text})` : text;
    }
  }
}

function pairs(keyword: string, ps: readonly Pair[]): string {
  if (ps.length === 0) return '';
  return `  ${keyword} {\n${ps.map((p) => `    ${name(p.key)} = ${quote(p.value)}\n`).join('')}  }\n`;
}

export function formatRule(r: RuleDecl): string {
  let out = `rule ${name(r.name)} {\n`;
  if (r.when) out += `  when ${formatExpr(r.when)}\n`;
  if (r.by) out += `  ${grouping(r.by)}\n`;
  if (r.forMs !== undefined) out += `  for ${formatDuration(r.forMs)}\n`;
  if (r.severity !== undefined) out += `  severity ${name(r.severity)}\n`;
  out += pairs('labels', r.labels);
  out += pairs('annotations', r.annotations);
  return `${out}}\n`;
}

export function format(file: RuleFile): string {
  return file.rules.map(formatRule).join('\n');
}
