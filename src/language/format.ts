/**
 * AST → canonical text: clauses in one fixed order, two-space indent, one
 * clause per line. `parse(format(ast))` gives back the same AST (modulo spans
 * and the record of how clauses were originally ordered).
 */
import type { Hold, Pair, RuleDecl, RuleFile } from './ast.js';
import { formatDuration } from './duration.js';
import { endsWithBareCall, formatExpr, formatGrouping, formatMatchers, name } from './format-expr.js';
import { quote } from './strings.js';

export { formatExpr } from './format-expr.js';

function pairs(keyword: string, ps: readonly Pair[]): string {
  if (ps.length === 0) return '';
  return `  ${keyword} {\n${ps.map((p) => `    ${p.key} = ${quote(p.value)}\n`).join('')}  }\n`;
}

function hold(h: Hold): string {
  return h.kind === 'duration' ? formatDuration(h.ms) : `${h.n} of ${h.m} steps`;
}

export function formatRule(r: RuleDecl): string {
  let out = `rule ${name(r.name)} {\n`;
  if (r.when) {
    const text = formatExpr(r.when);
    out += `  when ${r.by && endsWithBareCall(r.when) ? `(${text})` : text}\n`;
  }
  if (r.by) out += `  ${formatGrouping(r.by)}\n`;
  if (r.step) out += `  step ${formatDuration(r.step.ms)}\n`;
  if (r.hold) out += `  for ${hold(r.hold)}\n`;
  if (r.keepFiring) out += `  keep firing for ${formatDuration(r.keepFiring.ms)}\n`;
  if (r.clear) out += `  clear when ${formatExpr(r.clear)}\n`;
  if (r.noData) out += `  no data for ${formatDuration(r.noData.ms)}${r.noData.action ? ` ${r.noData.action}` : ''}\n`;
  if (r.flapping) out += `  flapping ${r.flapping.changes} changes within ${formatDuration(r.flapping.withinMs)}\n`;
  if (r.severity) out += `  severity ${name(r.severity.name)}\n`;
  out += pairs('labels', r.labels);
  out += pairs('annotations', r.annotations);
  if (r.notify.length > 0) out += `  notify ${r.notify.map((t) => name(t.name)).join(', ')}\n`;
  if (r.signature) out += `  signature ${quote(r.signature.value)}\n`;
  if (r.scope) out += `  scope ${r.scope.name}\n`;
  if (r.inhibit) out += `  inhibit${r.inhibit.matchers.length > 0 ? ` ${formatMatchers(r.inhibit.matchers)}` : ''}\n`;
  return `${out}}\n`;
}

export function format(file: RuleFile): string {
  return file.rules.map(formatRule).join('\n');
}
