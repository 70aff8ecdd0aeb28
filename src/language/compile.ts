/**
 * Checked rule → CompiledRule: the full IR plus, for rules of the first
 * evaluator's shape (`when <selector> <cmp> <number>`), the flat fields it
 * reads. Built only from the validated tree, never from raw text.
 */
import { RuleError, type Tags } from '../core/index.js';
import type { BinaryOp, Expr, RuleDecl } from './ast.js';
import { analyzeRule } from './check-rule.js';
import { formatExpr, formatRule } from './format.js';
import type { RuleIR, Selector } from './ir.js';
import { resolveLimits, type CheckLimits } from './limits.js';

export interface CompiledRule {
  readonly name: string;
  /** Canonical text of the rule, as the formatter prints it, without comments (editing one changes nothing). */
  readonly source: string;
  /** The one selector of a point rule; undefined for richer rules (read `ir.inputs`). */
  readonly selector?: Selector;
  /** Labels that form the alert group; undefined means every tag of the series. */
  readonly groupBy?: readonly string[];
  /** `for <duration>` in ms (0 when absent). */
  readonly forMs: number;
  readonly severity: string;
  readonly labels: Tags;
  /** Annotation templates as written (rendered forms: `ir.meta.annotations`). */
  readonly annotations: Tags;
  /** A point rule's condition on one sample value; undefined for richer rules (read `ir.condition`). */
  readonly condition?: (value: number) => boolean;
  /** The condition as written, for explanations. */
  readonly conditionText?: string;
  /** The whole rule, resolved: what a streaming evaluator is built from. */
  readonly ir: RuleIR;
}

const comparators: Partial<Record<BinaryOp, (a: number, b: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** The per-point closure of `selector <cmp> number` (or `number <cmp> selector`). */
function pointCondition(when: Extract<Expr, { kind: 'binary' }>): (value: number) => boolean {
  const cmp = comparators[when.op]!;
  if (when.left.kind === 'number') {
    const threshold = when.left.value;
    return (v) => cmp(threshold, v);
  }
  const threshold = (when.right as Extract<Expr, { kind: 'number' }>).value;
  return (v) => cmp(v, threshold);
}

/** Assembles a CompiledRule from a rule and the IR the checker produced for it. */
export function assemble(rule: RuleDecl, ir: RuleIR): CompiledRule {
  const point = ir.mode === 'point' ? ir.inputs[0] : undefined;
  const groupBy = ir.group.mode === 'by' ? ir.group.labels : undefined;
  const base = {
    name: rule.name,
    source: formatRule(rule.comments ? { ...rule, comments: undefined } : rule),
    ...(groupBy ? { groupBy } : {}),
    forMs: rule.hold?.kind === 'duration' ? rule.hold.ms : 0,
    severity: ir.meta.severity,
    labels: ir.meta.labels,
    annotations: Object.fromEntries(rule.annotations.map((p) => [p.key, p.value])),
    conditionText: rule.when ? formatExpr(rule.when) : '',
    ir,
  };
  if (!point || point.source !== 'metric') return base;
  return { ...base, selector: point.selector, condition: pointCondition(rule.when as Extract<Expr, { kind: 'binary' }>) };
}

/** Compiles one rule. Thrown when the rule has problems: a RuleError carrying every diagnostic. */
export function compileRule(rule: RuleDecl, limits?: CheckLimits): CompiledRule {
  const { diagnostics, ir } = analyzeRule(rule, resolveLimits(limits));
  if (!ir) throw new RuleError(diagnostics);
  return assemble(rule, ir);
}
