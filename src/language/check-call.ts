/** Lowers function calls: aggregations become inputs, window functions history slots. */
import type { Expr, Grouping } from './ast.js';
import { addInput, addSlot, bad, checkMatchers, countSelector, numeric, steps, type ExprScope, type Typed } from './check-scope.js';
import { formatExpr } from './format-expr.js';
import { functions, suggestFunction } from './functions.js';
import type { GroupingIR } from './ir.js';
import { compileEventMatch, compileMatcher } from './matchers.js';

/** Lowers a sub-expression; passed in so this file and check-expr.ts do not import each other. */
export type Lower = (e: Expr) => Typed;

function arity(scope: ExprScope, e: Extract<Expr, { kind: 'call' }>, n: number, usage: string): boolean {
  if (e.args.length === n) return true;
  scope.err(e.span, `${e.fn}() takes ${n} argument${n === 1 ? '' : 's'}, e.g. ${usage}, but got ${e.args.length}`);
  return false;
}

function groupingOf(scope: ExprScope, g: Grouping | undefined): GroupingIR {
  if (!g) return { mode: 'by', labels: scope.ruleBy ?? [] };
  const seen = new Set<string>();
  for (const l of g.labels) {
    if (seen.has(l)) scope.err(g.span, `label "${l}" is listed twice`);
    seen.add(l);
  }
  return { mode: g.mode, labels: g.labels };
}

export function lowerCall(scope: ExprScope, e: Extract<Expr, { kind: 'call' }>, lower: Lower): Typed {
  const spec = functions[e.fn];
  if (!spec) {
    const hint = suggestFunction(e.fn);
    scope.err(e.span, `unknown function "${e.fn}"${hint ? `; did you mean "${hint}"?` : ''}`);
    return bad;
  }
  if (e.grouping && spec.kind !== 'aggregation') {
    scope.err(e.grouping.span, `'${e.grouping.mode}' applies to aggregations such as sum(x) by (cluster), not to ${e.fn}()`);
  }
  switch (spec.kind) {
    case 'aggregation': {
      const needs = spec.aggregation === 'percentile' && spec.percentile === undefined ? 2 : 1;
      if (!arity(scope, e, needs, needs === 2 ? 'percentile(latency_ms, 99.9)' : `${e.fn}(errors{app="api"})`)) return bad;
      const arg = e.args[0]!;
      const grouping = groupingOf(scope, e.grouping);
      let percentile = spec.percentile;
      if (needs === 2) {
        const q = e.args[1]!;
        if (q.kind !== 'number' || !(q.value > 0 && q.value <= 100)) scope.err(q.span, 'the percentile must be a number above 0 and at most 100');
        else percentile = q.value;
      }
      // The text names the effective grouping, so equal data expressions share one input.
      const text = formatExpr(e.grouping || !scope.ruleBy ? e : { ...e, grouping: { mode: 'by', labels: scope.ruleBy, span: e.span } });
      if (arg.kind === 'event') {
        checkMatchers(scope, arg.matchers);
        countSelector(scope, arg.span, arg.matchers, `event ${arg.type}`);
        if (spec.aggregation !== 'count') {
          scope.err(e.span, `events carry no value to ${e.fn}; count them with count(event …)`);
          return bad;
        }
        const events = compileEventMatch(arg.type, arg.matchers.map((m) => compileMatcher(m.label, m.op, m.value)));
        const input = addInput(scope, { source: 'event', events, aggregation: 'count', grouping, text });
        return { ty: 'series', group: grouping, node: { k: 'input', input } };
      }
      if (arg.kind !== 'selector') {
        scope.err(arg.span, `${e.fn}() aggregates a selector such as ${e.fn}(errors{app="api"}); to fold values over time use ${e.fn}_over(x, 10m)`);
        return bad;
      }
      checkMatchers(scope, arg.matchers);
      countSelector(scope, arg.span, arg.matchers, arg.metric);
      const selector = { metric: arg.metric, matchers: arg.matchers.map((m) => compileMatcher(m.label, m.op, m.value)) };
      const input = addInput(scope, {
        source: 'metric',
        selector,
        aggregation: spec.aggregation,
        ...(percentile !== undefined ? { percentile } : {}),
        grouping,
        text,
      });
      return { ty: 'series', group: grouping, node: { k: 'input', input } };
    }
    case 'window': {
      if (!arity(scope, e, 2, `${e.fn}(x, 10m)`)) return bad;
      const x = lower(e.args[0]!);
      const n = steps(scope, e.args[1]!, `${e.fn}()`);
      if (x.ty === 'error' || n === undefined) return bad;
      if (x.ty === 'scalar') scope.err(e.args[0]!.span, `${e.fn}() needs data, not a constant`);
      if (x.ty === 'bool' && spec.fn !== 'count') scope.err(e.args[0]!.span, `${e.fn}() needs numbers; count_over() counts the steps where a condition held`);
      const slot = addSlot(scope, x.node, n - 1);
      return { ty: 'series', ...(x.group ? { group: x.group } : {}), node: { k: 'window', fn: spec.fn, slot, steps: n } };
    }
    case 'change': {
      if (!arity(scope, e, 2, 'change(x, 1h)')) return bad;
      const x = lower(e.args[0]!);
      const n = steps(scope, e.args[1]!, 'change()');
      if (x.ty === 'error' || n === undefined) return bad;
      if (x.ty !== 'series') scope.err(e.args[0]!.span, 'change() needs a number that comes from data');
      const slot = addSlot(scope, x.node, n);
      return { ...x, node: { k: 'arith', op: '-', left: x.node, right: { k: 'offset', slot, steps: n } } };
    }
    case 'trend': {
      if (!arity(scope, e, 2, `${e.fn}(queue_depth, 3)`)) return bad;
      const x = lower(e.args[0]!);
      const c = e.args[1]!;
      const ok = c.kind === 'number' && Number.isInteger(c.value) && c.value >= 1 && c.value <= scope.limits.maxHistorySteps;
      if (!ok) scope.err(c.span, `${e.fn}() counts steps: a whole number from 1 to ${scope.limits.maxHistorySteps}`);
      if (x.ty === 'error' || !ok) return bad;
      if (x.ty !== 'series') scope.err(e.args[0]!.span, `${e.fn}() needs a number that comes from data`);
      const slot = addSlot(scope, x.node, c.value);
      return { ty: 'bool', ...(x.group ? { group: x.group } : {}), node: { k: 'trend', direction: spec.direction, slot, steps: c.value } };
    }
    case 'fill': {
      if (!arity(scope, e, 2, 'fill(errors_sum, 0)')) return bad;
      const x = lower(e.args[0]!);
      const v = e.args[1]!;
      if (v.kind !== 'number' || !Number.isFinite(v.value)) scope.err(v.span, 'fill() needs a number to fill in, e.g. fill(x, 0)');
      if (x.ty === 'error' || v.kind !== 'number') return bad;
      if (!numeric(x)) scope.err(e.args[0]!.span, 'fill() needs a number');
      return { ...x, node: { k: 'fill', operand: x.node, value: v.value } };
    }
  }
}
