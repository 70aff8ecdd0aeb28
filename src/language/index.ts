/**
 * The rule language: text is lexed and parsed (chevrotain) into an AST,
 * checked and lowered to an intermediate representation (ir.ts) in one pass,
 * and compiled into closures an evaluator runs. Every failure is a diagnostic
 * with line and column; nothing here throws on bad input.
 */
import type { Diagnostic } from '../core/index.js';
import type { RuleDecl } from './ast.js';
import { analyzeFile } from './check.js';
import { assemble, type CompiledRule } from './compile.js';
import type { CheckLimits } from './limits.js';
import { parse } from './parse.js';

export type { RuleDecl, RuleFile, Expr, EventSelector, BinaryOp, Pair, Span, Matcher, MatchOp, Grouping, Hold, NoDataAction, ExpectClause } from './ast.js';
export type { CompiledRule } from './compile.js';
export type * from './ir.js';
export { RULE_IR_VERSION } from './ir.js';
export type { CheckLimits } from './limits.js';
export { DEFAULT_STEP_MS } from './limits.js';
export { parse, type ParseResult } from './parse.js';
export { check, analyzeFile, type FileAnalysis } from './check.js';
export { compileRule } from './compile.js';
export { compileMatcher, compileEventMatch } from './matchers.js';
export { format, formatRule, formatExpr } from './format.js';
export { parseDuration, formatDuration } from './duration.js';
export { functions, type FunctionSpec } from './functions.js';
export { reservedWords } from './lexer.js';

export interface CompileResult {
  readonly rules: readonly CompiledRule[];
  readonly decls: readonly RuleDecl[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Parse, check and compile a rule file. Rules are compiled only when the whole file is clean. */
export function compileSource(text: string, limits?: CheckLimits): CompileResult {
  const parsed = parse(text);
  if (!parsed.value) return { rules: [], decls: [], diagnostics: parsed.diagnostics };
  const decls = parsed.value.rules;
  const { diagnostics, irs } = analyzeFile(parsed.value, limits);
  if (diagnostics.length > 0) return { rules: [], decls, diagnostics };
  return { rules: decls.map((d, i) => assemble(d, irs[i]!)), decls, diagnostics: [] };
}
