/**
 * The rule language: text is lexed and parsed (chevrotain) into an AST, checked,
 * and compiled into closures the evaluator runs. Every failure is a diagnostic
 * with line and column; nothing here throws on bad input.
 */
import type { Diagnostic } from '../core/index.js';
import type { RuleDecl } from './ast.js';
import { check, type CheckLimits } from './check.js';
import { compileRule, type CompiledRule } from './compile.js';
import { parse } from './parse.js';

export type { RuleDecl, RuleFile, Expr, Span, Matcher, MatchOp } from './ast.js';
export type { CompiledRule, CompiledMatcher, Selector } from './compile.js';
export type { CheckLimits } from './check.js';
export { parse, type ParseResult } from './parse.js';
export { check } from './check.js';
export { compileRule, compileMatcher } from './compile.js';
export { format, formatRule, formatExpr } from './format.js';
export { parseDuration, formatDuration } from './duration.js';

export interface CompileResult {
  readonly rules: readonly CompiledRule[];
  readonly decls: readonly RuleDecl[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Parse, check and compile a rule file. Rules are compiled only when the whole file is clean. */
export function compileSource(text: string, limits?: CheckLimits): CompileResult {
  const parsed = parse(text);
  if (!parsed.value) return { rules: [], decls: [], diagnostics: parsed.diagnostics };
  const diagnostics = check(parsed.value, limits);
  if (diagnostics.length > 0) return { rules: [], decls: parsed.value.rules, diagnostics };
  return { rules: parsed.value.rules.map(compileRule), decls: parsed.value.rules, diagnostics: [] };
}
