/** Expressions → canonical text, with the fewest brackets that parse back to the same tree. */
import type { BinaryOp, EventSelector, Expr, Grouping, Matcher } from './ast.js';
import { formatDuration } from './duration.js';
import { quote } from './strings.js';

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
const notLevel = 3;
const comparisonLevel = 4;
const minusLevel = 7;
const offsetLevel = 8;
const atomLevel = 9;

const bareName = /^[a-zA-Z_][a-zA-Z0-9_:.]*$/;

/** A name as written bare where the grammar allows a name or a string. */
export function name(s: string): string {
  return bareName.test(s) ? s : quote(s);
}

export function formatGrouping(g: Grouping): string {
  return `${g.mode} (${g.labels.join(', ')})`;
}

export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(', ')}}`;
}

function formatEvent(e: EventSelector): string {
  return `event ${name(e.type)}${e.matchers.length > 0 ? formatMatchers(e.matchers) : ''}`;
}

function level(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return precedence[e.op];
    case 'unary':
      return e.op === 'not' ? notLevel : minusLevel;
    case 'offset':
      return offsetLevel;
    case 'number':
      return e.value < 0 || Object.is(e.value, -0) ? minusLevel : atomLevel;
    default:
      return atomLevel;
  }
}

/** `parent` is the binding level the context demands; a looser expression gets brackets. */
export function formatExpr(e: Expr, parent = 0): string {
  const text = bare(e);
  return level(e) < parent ? `(${text})` : text;
}

function bare(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'duration':
      return formatDuration(e.ms);
    case 'selector':
      return e.matchers.length === 0 ? e.metric : `${e.metric}${formatMatchers(e.matchers)}`;
    case 'event':
      return formatEvent(e);
    case 'call':
      return `${e.fn}(${e.args.map((a) => formatExpr(a)).join(', ')})${e.grouping ? ` ${formatGrouping(e.grouping)}` : ''}`;
    case 'unary':
      // `-(-x)` rather than `--x`, which reads like a typo.
      return e.op === 'not' ? `not ${formatExpr(e.operand, notLevel)}` : `-${formatExpr(e.operand, offsetLevel)}`;
    case 'offset':
      return `${formatExpr(e.operand, atomLevel)} offset ${formatDuration(e.ms)}`;
    case 'sequence':
      return `${formatEvent(e.start)} without ${formatEvent(e.end)} within ${formatDuration(e.withinMs)}`;
    case 'binary': {
      const own = precedence[e.op];
      // Comparisons do not chain, so both sides of one bind tighter; other operators are left-associative.
      const leftMin = own === comparisonLevel ? own + 1 : own;
      return `${formatExpr(e.left, leftMin)} ${e.op} ${formatExpr(e.right, own + 1)}`;
    }
  }
}

/**
 * True when the printed expression ends in a call without `by`/`without`: a
 * rule-level `by` printed on the next line would then be read as the call's grouping.
 */
export function endsWithBareCall(e: Expr): boolean {
  switch (e.kind) {
    case 'call':
      return e.grouping === undefined;
    case 'binary':
      return endsWithBareCall(e.right);
    case 'unary':
      return endsWithBareCall(e.operand);
    default:
      return false;
  }
}
