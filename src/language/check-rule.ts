/**
 * Checks one rule and lowers it to the IR in the same pass: the clause-level
 * half (modes, temporal qualifiers, groups); expressions are in check-expr.ts
 * and metadata in check-meta.ts. Reports every problem it finds.
 */
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import { comparisonOps, type ExpectClause, type Expr, type RuleDecl, type Span } from './ast.js';
import { describeGrouping, durationSteps, lowerExpr, sameGrouping, type ExprScope, type Typed } from './check-expr.js';
import { labelKnown, lowerMeta } from './check-meta.js';
import { compileValue } from './compile-value.js';
import { formatDuration } from './duration.js';
import { formatExpr } from './format-expr.js';
import { RULE_IR_VERSION, type ConditionIR, type ExpectIR, type GroupingIR, type RuleIR, type TemporalIR, type ValueNode } from './ir.js';
import { DEFAULT_STEP_MS, type ResolvedLimits } from './limits.js';
import { compileEventMatch, compileMatcher } from './matchers.js';
import { checkMatchers } from './check-expr.js';

/** Rule names end up in actor ids (`alert/<rule>/<group>`), so keep them to a safe alphabet. */
const ruleNamePattern = /^[A-Za-z0-9_.:-]+$/;
const repeatable = new Set(['labels', 'annotations', 'notify']);

export interface Analysis {
  readonly diagnostics: Diagnostic[];
  /** Present when the rule has no problems. */
  readonly ir?: RuleIR;
}

/** The shape the first evaluator runs: one bare selector compared with a number, evaluated per point. */
export function isPointRule(rule: RuleDecl): boolean {
  const w = rule.when;
  if (!w || w.kind !== 'binary' || !comparisonOps.has(w.op)) return false;
  const kinds = [w.left.kind, w.right.kind].sort().join();
  if (kinds !== 'number,selector') return false;
  return !rule.step && rule.hold?.kind !== 'count' && !rule.keepFiring && !rule.clear && !rule.noData && !rule.flapping && !rule.inhibit;
}

function firstComparisonLeft(n: ValueNode): ValueNode | undefined {
  switch (n.k) {
    case 'compare':
      return n.left;
    case 'logic':
      return firstComparisonLeft(n.left) ?? firstComparisonLeft(n.right);
    case 'not':
      return firstComparisonLeft(n.operand);
    default:
      return undefined;
  }
}

export function analyzeRule(rule: RuleDecl, limits: ResolvedLimits): Analysis {
  const diagnostics: Diagnostic[] = [];
  const err = (span: Span, message: string): void => {
    diagnostics.push({ code: ErrorCodes.RULE_INVALID, message, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, rule: rule.name });
  };
  if (!ruleNamePattern.test(rule.name)) err(rule.nameSpan, 'rule names may use only letters, digits and _ . : -');
  if (rule.name.length > limits.maxNameLength) err(rule.nameSpan, `rule name is longer than ${limits.maxNameLength} characters`);
  const seen = new Set<string>();
  for (const c of rule.clauses) {
    if (seen.has(c.keyword) && !repeatable.has(c.keyword)) err(c.span, `'${c.keyword}' may appear only once in a rule`);
    seen.add(c.keyword);
  }
  if (rule.by) {
    if (rule.by.labels.length === 0) err(rule.by.span, "'by' needs at least one label");
    const labels = new Set<string>();
    for (const l of rule.by.labels) {
      if (labels.has(l)) err(rule.by.span, `label "${l}" is listed twice in 'by'`);
      labels.add(l);
    }
  }

  const mode: RuleIR['mode'] = rule.when?.kind === 'sequence' ? 'event' : isPointRule(rule) ? 'point' : 'step';
  let stepMs = mode === 'step' ? DEFAULT_STEP_MS : 0;
  if (rule.step) {
    if (mode === 'event') err(rule.step.span, "'step' does not apply to an event sequence");
    else if (rule.step.ms <= 0) err(rule.step.span, 'the step must be longer than 0s');
    else if (rule.step.ms > limits.maxDurationMs) err(rule.step.span, `the step is longer than the limit of ${formatDuration(limits.maxDurationMs)}`);
    else stepMs = rule.step.ms;
  }
  const scope: ExprScope = {
    err,
    limits,
    // Point rules never reach windows or offsets; 1 keeps the arithmetic defined.
    stepMs: stepMs || 1,
    ...(rule.by ? { ruleBy: rule.by.labels } : {}),
    inputs: [],
    slots: [],
    selectorCount: 0,
  };

  let condition: ConditionIR | undefined;
  let group: GroupingIR | undefined;
  if (!rule.when) err(rule.nameSpan, `rule "${rule.name}" has no 'when' condition`);
  else if (rule.when.kind === 'sequence') {
    const seq = rule.when;
    for (const ev of [seq.start, seq.end]) checkMatchers(scope, ev.matchers);
    if (!rule.by) err(seq.span, "an event sequence needs 'by (...)' naming the key that links start and end, e.g. by (job_id)");
    if (seq.withinMs <= 0 || seq.withinMs > limits.maxDurationMs) err(seq.span, `'within' must be longer than 0s and at most ${formatDuration(limits.maxDurationMs)}`);
    const events = (ev: typeof seq.start) => compileEventMatch(ev.type, ev.matchers.map((m) => compileMatcher(m.label, m.op, m.value)));
    group = { mode: 'by', labels: rule.by?.labels ?? [] };
    condition = { kind: 'sequence', start: events(seq.start), end: events(seq.end), withinMs: seq.withinMs, key: rule.by?.labels ?? [] };
  } else {
    const typed = lowerCondition(scope, rule.when, 'when', rule);
    group = typed?.group;
    if (typed) {
      const valueTree = firstComparisonLeft(typed.node);
      condition = {
        kind: 'value',
        tree: typed.node,
        evaluate: compileValue(typed.node),
        ...(valueTree ? { value: { tree: valueTree, evaluate: compileValue(valueTree) } } : {}),
      };
    }
  }
  if (mode === 'point') group = rule.by ? { mode: 'by', labels: rule.by.labels } : { mode: 'series' };

  const temporal = lowerTemporal(scope, rule, mode, group);
  let noData: RuleIR['noData'];
  if (rule.noData) {
    if (mode === 'event') err(rule.noData.span, "'no data' does not apply to an event sequence; the sequence itself detects what did not happen");
    else if (rule.noData.ms <= 0 || rule.noData.ms > limits.maxDurationMs) err(rule.noData.span, `'no data for' must be longer than 0s and at most ${formatDuration(limits.maxDurationMs)}`);
    noData = { afterMs: rule.noData.ms, action: rule.noData.action ?? 'fire' };
  }
  const expect = rule.expect ? lowerExpect(scope, rule.expect, mode, group) : undefined;
  const meta = lowerMeta(scope, rule, group);
  if (diagnostics.length > 0 || !condition || !group) return { diagnostics };
  const slots = scope.slots.map((s, index) => ({ index, node: s.node, depth: s.depth, evaluate: compileValue(s.node) }));
  const ir: RuleIR = {
    version: RULE_IR_VERSION,
    name: rule.name,
    mode,
    stepMs: mode === 'step' ? stepMs : 0,
    group,
    inputs: scope.inputs,
    slots,
    condition,
    temporal,
    ...(noData ? { noData } : {}),
    ...(expect ? { expect } : {}),
    meta,
  };
  return { diagnostics, ir };
}

/** Lowers `when`/`clear when`: must be a condition over data, grouped as the rule says. */
function lowerCondition(scope: ExprScope, e: Expr, clause: string, rule: RuleDecl): Typed | undefined {
  const typed = lowerExpr(scope, e);
  if (typed.ty === 'error') return undefined;
  if (typed.ty !== 'bool') {
    scope.err(e.span, `'${clause}' needs a condition, e.g. '${clause} ${formatExpr(e)} > 50'`);
    return undefined;
  }
  if (!typed.group) {
    scope.err(e.span, `'${clause}' reads no data: compare a metric or event expression`);
    return undefined;
  }
  if (rule.by && !sameGrouping(typed.group, { mode: 'by', labels: rule.by.labels })) {
    scope.err(rule.by.span, `the rule says by (${rule.by.labels.join(', ')}) but its condition is grouped ${describeGrouping(typed.group)}`);
  }
  return typed;
}

function lowerTemporal(scope: ExprScope, rule: RuleDecl, mode: RuleIR['mode'], group: GroupingIR | undefined): TemporalIR {
  const { limits, err } = scope;
  const t: { -readonly [K in keyof TemporalIR]: TemporalIR[K] } = {};
  const notForSequence = (span: Span, what: string): boolean => {
    if (mode === 'event') err(span, `'${what}' does not apply to an event sequence`);
    return mode !== 'event';
  };
  const h = rule.hold;
  if (h && notForSequence(h.span, 'for')) {
    if (h.kind === 'duration') {
      if (mode === 'point') {
        if (h.ms > limits.maxDurationMs) err(h.span, `'for' is longer than the limit of ${formatDuration(limits.maxDurationMs)}`);
        t.for = { ms: h.ms };
      } else {
        const steps = durationSteps(scope, h.ms, h.span, 'for', true);
        if (steps !== undefined) t.for = { ms: h.ms, steps };
      }
    } else if (!Number.isInteger(h.n) || !Number.isInteger(h.m) || h.n < 1 || h.n > h.m) {
      err(h.span, `'for N of M steps' needs whole numbers with 1 <= N <= M, e.g. 'for 4 of 5 steps'`);
    } else if (h.m > limits.maxHistorySteps) {
      err(h.span, `'for ${h.n} of ${h.m} steps' keeps more than ${limits.maxHistorySteps} steps of history`);
    } else t.nOfM = { n: h.n, m: h.m };
  }
  if (rule.keepFiring && notForSequence(rule.keepFiring.span, 'keep firing')) {
    if (rule.keepFiring.ms <= 0 || rule.keepFiring.ms > limits.maxDurationMs) err(rule.keepFiring.span, `'keep firing for' must be longer than 0s and at most ${formatDuration(limits.maxDurationMs)}`);
    t.keepFiringMs = rule.keepFiring.ms;
  }
  if (rule.clear && rule.when && notForSequence(rule.clear.span, 'clear when')) {
    const typed = lowerCondition(scope, rule.clear, 'clear when', rule);
    if (typed && group && typed.group && !sameGrouping(typed.group, group)) {
      err(rule.clear.span, `'clear when' is grouped ${describeGrouping(typed.group)} but 'when' is grouped ${describeGrouping(group)}`);
    }
    if (typed) t.clear = { tree: typed.node, evaluate: compileValue(typed.node) };
  }
  const f = rule.flapping;
  if (f) {
    if (!Number.isInteger(f.changes) || f.changes < 2) err(f.span, "'flapping N changes' needs a whole number of at least 2");
    if (f.withinMs <= 0 || f.withinMs > limits.maxDurationMs) err(f.span, `'within' must be longer than 0s and at most ${formatDuration(limits.maxDurationMs)}`);
    t.flapping = { changes: f.changes, withinMs: f.withinMs };
  }
  return t;
}

/** `expect N sources by (labels)`: only for steps, and the labels must name sources within a group, not the group. */
function lowerExpect(scope: ExprScope, e: ExpectClause, mode: RuleIR['mode'], group: GroupingIR | undefined): ExpectIR {
  const { limits, err } = scope;
  if (mode === 'event') err(e.span, "'expect' does not apply to an event sequence");
  else if (mode === 'point') err(e.span, "'expect' completes a step early, but this rule is evaluated per point: add a step, e.g. 'step 1m'");
  if (!Number.isInteger(e.sources) || e.sources < 1) err(e.span, "'expect N sources' needs a whole number of at least 1, e.g. 'expect 12 sources by (agent)'");
  else if (e.sources > limits.maxExpectedSources) err(e.span, `'expect ${e.sources} sources' is above the limit of ${limits.maxExpectedSources} sources`);
  if (e.by.length === 0) err(e.span, "'expect' needs the labels that name a source, e.g. by (agent)");
  const seen = new Set<string>();
  for (const l of e.by) {
    if (seen.has(l)) err(e.span, `label "${l}" is listed twice in 'expect'`);
    seen.add(l);
  }
  if (group && mode === 'step') {
    if (group.mode === 'series') err(e.span, "'expect' counts the sources within a group, but this rule keeps every series apart: group the condition, e.g. avg(x) by (test)");
    else {
      for (const l of seen) {
        if (labelKnown(group, new Set(), l)) err(e.span, `'expect' counts the sources within a group, so "${l}" must not be a group label (the alert is grouped ${describeGrouping(group)})`);
      }
    }
  }
  return { sources: e.sources, by: e.by };
}
