/** Semantic checks on a parsed file: everything a user can get wrong that the grammar cannot see. */
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import type { RuleDecl, RuleFile } from './ast.js';
import { analyzeRule } from './check-rule.js';
import type { RuleIR } from './ir.js';
import { resolveLimits, type CheckLimits } from './limits.js';

export interface FileAnalysis {
  readonly diagnostics: Diagnostic[];
  /** One per rule, aligned with `file.rules`; undefined for a rule with problems. */
  readonly irs: (RuleIR | undefined)[];
}

export function analyzeFile(file: RuleFile, limits?: CheckLimits): FileAnalysis {
  const resolved = resolveLimits(limits);
  const diagnostics: Diagnostic[] = [];
  const irs: (RuleIR | undefined)[] = [];
  const seen = new Map<string, RuleDecl>();
  for (const rule of file.rules) {
    const first = seen.get(rule.name);
    if (first) {
      const s = rule.nameSpan;
      diagnostics.push({
        code: ErrorCodes.RULE_INVALID,
        message: `rule "${rule.name}" is defined twice (first at line ${first.nameSpan.line})`,
        line: s.line,
        column: s.column,
        endLine: s.endLine,
        endColumn: s.endColumn,
        rule: rule.name,
      });
    } else seen.set(rule.name, rule);
    const a = analyzeRule(rule, resolved);
    // Found clause by clause; reported in reading order.
    diagnostics.push(...a.diagnostics.sort((x, y) => x.line - y.line || x.column - y.column));
    irs.push(a.ir);
  }
  return { diagnostics, irs };
}

/** Returns every problem found; an empty list means the file can be compiled. */
export function check(file: RuleFile, limits?: CheckLimits): Diagnostic[] {
  return analyzeFile(file, limits).diagnostics;
}
