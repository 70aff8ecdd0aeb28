/**
 * Type-checks a condition and lowers it to the IR in one walk, so what is
 * checked is exactly what is compiled. Types: a scalar (numbers), a series
 * (a value per group and step), a condition (a truth value per group and
 * step). Every problem is reported with its span; the walk goes on after an
 * error to report the rest.
 */
import type { Expr, Grouping, Matcher, Span } from './ast.js';
import { functions, suggestFunction } from './functions.js';
import type { CompareOp, GroupingIR, InputIR, ValueNode } from './ir.js';
import type { ResolvedLimits } from './limits.js';
import { anchoredRegex, compileEventMatch, compileMatcher, matchesEverything } from './matchers.js';
import { formatExpr } from './format-expr.js';
import { formatDuration } from './duration.js';

export type Ty = 'scalar' | 'series' | 'bool' | 'error';

export interface Typed {
  readonly ty: Ty;
  /** Groups of a series or condition; undefined for scalars. */
  readonly group?: GroupingIR;
  readonly node: ValueNode;
}

type InputSpec = InputIR extends infer T ? (T extends unknown ? Omit<T, 'index'> : never) : never;

/** Everything the walk shares with the rule it belongs to. */
export interface ExprScope {
  readonly err: (span: Span, message: string) => void;
  readonly limits: ResolvedLimits;
  readonly stepMs: number;
  /** The rule's `by`, inherited by aggregations and bare selectors that name no grouping. */
  readonly ruleBy?: readonly string[];
  readonly inputs: InputIR[];
  readonly slots: { node: ValueNode; depth: number; key: string }[];
  selectorCount: number;
}

const errorNode: ValueNode = { k: 'const', value: 0 };
const bad: Typed = { ty: 'error', node: errorNode };

export function sameGrouping(a: GroupingIR, b: GroupingIR): boolean {
  if (a.mode !== b.mode) return false;
  if (a.mode === 'series' || b.mode === 'series') return true;
  const la = [...a.labels].sort();
  const lb = [...b.labels].sort();
  return la.length === lb.length && la.every((l, i) => l === lb[i]);
}

export function describeGrouping(g: GroupingIR): string {
  return g.mode === 'series' ? 'per series' : `${g.mode} (${g.labels.join(', ')})`;
}

export function checkMatchers(scope: ExprScope, ms: readonly Matcher[]): void {
  const seen = new Set<string>();
  for (const m of ms) {
    const key = `${m.label}${m.op}`;
    if (seen.has(key)) scope.err(m.span, `matcher "${m.label}${m.op}" is written twice`);
    seen.add(key);
    if (m.op === '=~' || m.op === '!~') {
      const re = anchoredRegex(m.value);
      if (re instanceof Error) scope.err(m.span, `invalid regular expression for "${m.label}": ${re.message}`);
    }
  }
}

function countSelector(scope: ExprScope, span: Span, matchers: readonly Matcher[], what: string): void {
  scope.selectorCount++;
  if (scope.selectorCount === scope.limits.maxSelectorsPerRule + 1) scope.err(span, `a rule may use at most ${scope.limits.maxSelectorsPerRule} selectors`);
  if (scope.limits.requireSelectorFilter && matchers.every((m) => matchesEverything(m.op, m.value))) {
    scope.err(span, `${what} selects every series; add a matcher such as {cluster="a"}`);
  }
}

function addInput(scope: ExprScope, spec: InputSpec): number {
  const found = scope.inputs.findIndex((i) => i.text === spec.text);
  if (found >= 0) return found;
  const index = scope.inputs.length;
  scope.inputs.push({ ...spec, index } as InputIR);
  return index;
}

function addSlot(scope: ExprScope, node: ValueNode, depth: number): number {
  const key = JSON.stringify(node);
  const found = scope.slots.findIndex((s) => s.key === key);
  if (found >= 0) {
    const s = scope.slots[found]!;
    s.depth = Math.max(s.depth, depth);
    return found;
  }
  scope.slots.push({ node, depth, key });
  return scope.slots.length - 1;
}

function merge(scope: ExprScope, span: Span, a: Typed, b: Typed): GroupingIR | undefined {
  if (!a.group) return b.group;
  if (!b.group) return a.group;
  if (!sameGrouping(a.group, b.group)) {
    scope.err(span, `cannot combine values grouped ${describeGrouping(a.group)} with values grouped ${describeGrouping(b.group)}; group both sides the same way`);
  }
  return a.group;
}

const numeric = (t: Typed): boolean => t.ty === 'scalar' || t.ty === 'series';

/** Steps covered by a duration argument, or undefined after reporting why it is unusable. */
function steps(scope: ExprScope, e: Expr, what: string, allowZero = false): number | undefined {
  if (e.kind !== 'duration') {
    scope.err(e.span, `${what} needs a duration such as 10m here`);
    return undefined;
  }
  return durationSteps(scope, e.ms, e.span, what, allowZero);
}

export function durationSteps(scope: ExprScope, ms: number, span: Span, what: string, allowZero = false): number | undefined {
  if (ms > scope.limits.maxDurationMs) {
    scope.err(span, `${what}: ${formatDuration(ms)} is longer than the limit of ${formatDuration(scope.limits.maxDurationMs)}`);
    return undefined;
  }
  if (ms === 0 && !allowZero) {
    scope.err(span, `${what}: the duration must be longer than 0s`);
    return undefined;
  }
  if (ms % scope.stepMs !== 0) {
    scope.err(span, `${what}: ${formatDuration(ms)} is not a whole number of ${formatDuration(scope.stepMs)} steps`);
    return undefined;
  }
  const n = ms / scope.stepMs;
  if (n > scope.limits.maxHistorySteps) {
    scope.err(span, `${what}: ${n} steps of history is above the limit of ${scope.limits.maxHistorySteps}`);
    return undefined;
  }
  return n;
}

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
      return lowerCall(scope, e);
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

function lowerCall(scope: ExprScope, e: Extract<Expr, { kind: 'call' }>): Typed {
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
      const x = lowerExpr(scope, e.args[0]!);
      const n = steps(scope, e.args[1]!, `${e.fn}()`);
      if (x.ty === 'error' || n === undefined) return bad;
      if (x.ty === 'scalar') scope.err(e.args[0]!.span, `${e.fn}() needs data, not a constant`);
      if (x.ty === 'bool' && spec.fn !== 'count') scope.err(e.args[0]!.span, `${e.fn}() needs numbers; count_over() counts the steps where a condition held`);
      const slot = addSlot(scope, x.node, n - 1);
      return { ty: 'series', ...(x.group ? { group: x.group } : {}), node: { k: 'window', fn: spec.fn, slot, steps: n } };
    }
    case 'change': {
      if (!arity(scope, e, 2, 'change(x, 1h)')) return bad;
      const x = lowerExpr(scope, e.args[0]!);
      const n = steps(scope, e.args[1]!, 'change()');
      if (x.ty === 'error' || n === undefined) return bad;
      if (x.ty !== 'series') scope.err(e.args[0]!.span, 'change() needs a number that comes from data');
      const slot = addSlot(scope, x.node, n);
      return { ...x, node: { k: 'arith', op: '-', left: x.node, right: { k: 'offset', slot, steps: n } } };
    }
    case 'trend': {
      if (!arity(scope, e, 2, `${e.fn}(queue_depth, 3)`)) return bad;
      const x = lowerExpr(scope, e.args[0]!);
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
      const x = lowerExpr(scope, e.args[0]!);
      const v = e.args[1]!;
      if (v.kind !== 'number' || !Number.isFinite(v.value)) scope.err(v.span, 'fill() needs a number to fill in, e.g. fill(x, 0)');
      if (x.ty === 'error' || v.kind !== 'number') return bad;
      if (!numeric(x)) scope.err(e.args[0]!.span, 'fill() needs a number');
      return { ...x, node: { k: 'fill', operand: x.node, value: v.value } };
    }
  }
}
