/** Semantic checks on a parsed rule: everything a user can get wrong that the grammar cannot see. */
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import { comparisonOps, type Expr, type RuleDecl, type RuleFile, type Span } from './ast.js';

export interface CheckLimits {
  /** Longest rule name accepted. @default 200 */
  maxNameLength?: number;
}

/** Rule names end up in actor ids (`alert/<rule>/<group>`), so keep them to a safe alphabet. */
const ruleNamePattern = /^[A-Za-z0-9_.:-]+$/;
const singleClauses = new Set(['when', 'by', 'for', 'severity']);

function at(span: Span, message: string, rule?: string): Diagnostic {
  return {
    code: ErrorCodes.RULE_INVALID,
    message,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
    ...(rule ? { rule } : {}),
  };
}

/** Returns every problem found; an empty list means the file can be compiled. */
export function check(file: RuleFile, limits: CheckLimits = {}): Diagnostic[] {
  const maxNameLength = limits.maxNameLength ?? 200;
  const out: Diagnostic[] = [];
  const seen = new Map<string, RuleDecl>();
  for (const rule of file.rules) {
    const first = seen.get(rule.name);
    if (first) out.push(at(rule.nameSpan, `rule "${rule.name}" is defined twice (first at line ${first.nameSpan.line})`, rule.name));
    seen.set(rule.name, rule);
    out.push(...checkRule(rule, maxNameLength));
  }
  return out;
}

function checkRule(rule: RuleDecl, maxNameLength: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (span: Span, message: string): void => {
    out.push(at(span, message, rule.name));
  };
  if (!ruleNamePattern.test(rule.name)) err(rule.nameSpan, 'rule names may use only letters, digits and _ . : -');
  if (rule.name.length > maxNameLength) err(rule.nameSpan, `rule name is longer than ${maxNameLength} characters`);

  const clauseCount = new Map<string, number>();
  for (const c of rule.clauses) {
    const n = (clauseCount.get(c.keyword) ?? 0) + 1;
    clauseCount.set(c.keyword, n);
    if (n === 2 && singleClauses.has(c.keyword)) err(c.span, `'${c.keyword}' may appear only once in a rule`);
  }
  if (!rule.when) err(rule.nameSpan, `rule "${rule.name}" has no 'when' condition`);
  else checkCondition(rule.when, err);

  if (rule.by) {
    const labels = new Set<string>();
    for (const l of rule.by.labels) {
      if (labels.has(l)) err(rule.by.span, `label "${l}" is listed twice in 'by'`);
      labels.add(l);
    }
    if (rule.by.labels.length === 0) err(rule.by.span, "'by' needs at least one label");
  }
  const keys = new Set<string>();
  for (const p of rule.labels) {
    if (keys.has(p.key)) err(p.span, `label "${p.key}" is set twice`);
    keys.add(p.key);
  }
  return out;
}

/** The conditions this version evaluates: a selector compared with a number. */
function checkCondition(e: Expr, err: (span: Span, message: string) => void): void {
  if (e.kind !== 'binary' || !comparisonOps.has(e.op)) {
    err(e.span, "the condition must compare a metric with a number, e.g. 'when cpu{cluster=\"a\"} > 90'");
    return;
  }
  const sides = [e.left, e.right];
  const selectors = sides.filter((s) => s.kind === 'selector');
  const numbers = sides.filter((s) => s.kind === 'number');
  for (const s of sides) {
    if (s.kind === 'call') err(s.span, `function "${s.fn}" is not supported in conditions yet`);
    else if (s.kind !== 'selector' && s.kind !== 'number') err(s.span, 'only a metric selector or a number may stand on either side of the comparison');
  }
  if (selectors.length !== 1 || numbers.length !== 1) {
    if (bothSidesSimple(sides)) err(e.span, 'compare exactly one metric selector with one number');
  }
  for (const s of selectors) {
    if (s.kind !== 'selector') continue;
    for (const m of s.matchers) {
      if (m.op === '=~' || m.op === '!~') {
        try {
          new RegExp(`^(?:${m.value})$`);
        } catch (cause) {
          err(m.span, `invalid regular expression for "${m.label}": ${(cause as Error).message}`);
        }
      }
    }
  }
}

/** Only report the shape error when each side is itself acceptable, to avoid piling errors. */
function bothSidesSimple(sides: Expr[]): boolean {
  return sides.every((s) => s.kind === 'selector' || s.kind === 'number');
}
