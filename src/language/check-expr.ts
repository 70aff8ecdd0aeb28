/**
 * Type-checks a condition and lowers it to the IR in one walk, so what is
 * checked is exactly what is compiled. Types: a scalar (numbers), a series
 * (a value per group and step), a condition (a truth value per group and
 * step). Every problem is reported with its span; the walk goes on after an
 * error to report the rest.
 */
import type { Expr } from './ast.js';
import { lowerCall } from './check-call.js';
import { addInput, addSlot, bad, checkMatchers, countSelector, durationSteps, merge, numeric, type ExprScope, type Typed } from './check-scope.js';
import { formatExpr } from './format-expr.js';
import type { CompareOp, GroupingIR } from './ir.js';
import { compileMatcher } from './matchers.js';

export { checkMatchers, describeGrouping, durationSteps, sameGrouping, type ExprScope, type Typed } from './check-scope.js';

export function lowerExpr(scope: ExprScope, e: Expr): Typed {
  switch (e.kind) {
    case 'number':
      if (!Number.isFinite(e.value)) {
        scope.err(e.span, 'number out of range');
        return bad;
      }
      return { ty: 'scalar', node: { k: 'const', value: e.value } };
    case 'duration':
      scope.err(e.span, 'a duration may only be a function argument (avg_over(x, 10m)) or follow offset');
      return bad;
    case 'event':
      scope.err(e.span, 'events can only be counted here: count(event …)');
      return bad;
    case 'sequence':
      scope.err(e.span, "'event A without event B within D' must be the whole condition");
      return bad;
    case 'selector': {
      checkMatchers(scope, e.matchers);
      countSelector(scope, e.span, e.matchers, e.metric);
      const grouping: GroupingIR = scope.ruleBy ? { mode: 'by', labels: scope.ruleBy } : { mode: 'series' };
      const selector = { metric: e.metric, matchers: e.matchers.map((m) => compileMatcher(m.label, m.op, m.value)) };
      const input = addInput(scope, { source: 'metric', selector, aggregation: 'last', grouping, text: formatExpr(e) });
      return { ty: 'series', group: grouping, node: { k: 'input', input } };
    }
    case 'offset': {
      const operand = lowerExpr(scope, e.operand);
      const n = durationSteps(scope, e.ms, e.span, 'offset');
      if (operand.ty === 'error' || n === undefined) return bad;
      if (operand.ty === 'scalar') scope.err(e.span, 'offset applies to data, not to a constant');
      const slot = addSlot(scope, operand.node, n);
      return { ...operand, node: { k: 'offset', slot, steps: n } };
    }
    case 'unary': {
      const operand = lowerExpr(scope, e.operand);
      if (operand.ty === 'error') return bad;
      if (e.op === 'not') {
        if (operand.ty !== 'bool') scope.err(e.span, "'not' needs a condition such as x > 5");
        return { ...operand, ty: 'bool', node: { k: 'not', operand: operand.node } };
      }
      if (!numeric(operand)) scope.err(e.span, "'-' needs a number");
      return { ...operand, node: { k: 'neg', operand: operand.node } };
    }
    case 'binary':
      return lowerBinary(scope, e);
    case 'call':
      return lowerCall(scope, e, (x) => lowerExpr(scope, x));
  }
}

function lowerBinary(scope: ExprScope, e: Extract<Expr, { kind: 'binary' }>): Typed {
  const l = lowerExpr(scope, e.left);
  const r = lowerExpr(scope, e.right);
  if (l.ty === 'error' || r.ty === 'error') return bad;
  const group = merge(scope, e.span, l, r);
  const base = group ? { group } : {};
  if (e.op === 'and' || e.op === 'or') {
    const wrong = [l, r].filter((side) => side.ty !== 'bool');
    for (const side of wrong) scope.err((side === l ? e.left : e.right).span, `'${e.op}' joins conditions such as x > 5, not numbers`);
    return wrong.length > 0 ? bad : { ty: 'bool', ...base, node: { k: 'logic', op: e.op, left: l.node, right: r.node } };
  }
  const wrong = [l, r].filter((side) => !numeric(side));
  for (const side of wrong) scope.err((side === l ? e.left : e.right).span, `'${e.op}' needs numbers on both sides, not a condition`);
  if (wrong.length > 0) return bad;
  if (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/') {
    if (e.op === '/' && r.node.k === 'const' && r.node.value === 0) scope.err(e.right.span, 'division by zero');
    const ty = l.ty === 'series' || r.ty === 'series' ? 'series' : 'scalar';
    return { ty, ...base, node: { k: 'arith', op: e.op, left: l.node, right: r.node } };
  }
  if (l.ty === 'scalar' && r.ty === 'scalar') {
    scope.err(e.span, 'this comparison reads no data: one side must be a metric or event expression');
    return bad;
  }
  return { ty: 'bool', ...base, node: { k: 'compare', op: e.op as CompareOp, left: l.node, right: r.node } };
}

