/** Checked AST → the closures the evaluator runs. Built only from the validated tree, never from raw text. */
import type { Tags } from '../core/index.js';
import type { BinaryOp, Expr, MatchOp, RuleDecl } from './ast.js';
import { formatExpr, formatRule } from './format.js';

export interface CompiledMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Prometheus semantics: a missing tag matches as the empty string. */
  readonly test: (tagValue: string | undefined) => boolean;
}

/** A data expression's selector: what the query index routes on. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly CompiledMatcher[];
}

export interface CompiledRule {
  readonly name: string;
  /** Canonical text of the rule, as the formatter prints it. */
  readonly source: string;
  readonly selector: Selector;
  /** Labels that form the alert group; undefined means every tag of the series. */
  readonly groupBy?: readonly string[];
  readonly forMs: number;
  readonly severity: string;
  readonly labels: Tags;
  readonly annotations: Tags;
  /** The condition on one sample value. */
  readonly condition: (value: number) => boolean;
  /** The condition as written, for explanations. */
  readonly conditionText: string;
}

const regexCache = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    regexCache.set(pattern, re);
  }
  return re;
}

export function compileMatcher(label: string, op: MatchOp, value: string): CompiledMatcher {
  let test: (v: string | undefined) => boolean;
  switch (op) {
    case '=':
      test = (v) => (v ?? '') === value;
      break;
    case '!=':
      test = (v) => (v ?? '') !== value;
      break;
    case '=~': {
      const re = anchored(value);
      test = (v) => re.test(v ?? '');
      break;
    }
    case '!~': {
      const re = anchored(value);
      test = (v) => !re.test(v ?? '');
      break;
    }
  }
  return { label, op, value, test };
}

const comparators: Partial<Record<BinaryOp, (a: number, b: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Compiles one rule that `check` accepted. */
export function compileRule(rule: RuleDecl): CompiledRule {
  const when = rule.when as Extract<Expr, { kind: 'binary' }>;
  const selectorOnLeft = when.left.kind === 'selector';
  const sel = (selectorOnLeft ? when.left : when.right) as Extract<Expr, { kind: 'selector' }>;
  const threshold = ((selectorOnLeft ? when.right : when.left) as Extract<Expr, { kind: 'number' }>).value;
  const cmp = comparators[when.op]!;
  const condition = selectorOnLeft ? (v: number) => cmp(v, threshold) : (v: number) => cmp(threshold, v);
  return {
    name: rule.name,
    source: formatRule(rule),
    selector: { metric: sel.metric, matchers: sel.matchers.map((m) => compileMatcher(m.label, m.op, m.value)) },
    ...(rule.by ? { groupBy: rule.by.labels } : {}),
    forMs: rule.forMs ?? 0,
    severity: rule.severity ?? 'warning',
    labels: Object.fromEntries(rule.labels.map((p) => [p.key, p.value])),
    annotations: Object.fromEntries(rule.annotations.map((p) => [p.key, p.value])),
    condition,
    conditionText: formatExpr(when),
  };
}
