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

function comments(lines: readonly string[] | undefined, indent: string): string {
  return lines ? lines.map((l) => `${indent}${l}\n`).join('') : '';
}

/** A `labels`/`annotations` block, with the comments written between its pairs where they were. */
function pairs(keyword: string, ps: readonly Pair[], inside: Readonly<Record<number, readonly string[]>> | undefined): string {
  if (ps.length === 0 && !inside) return '';
  const body = ps.map((p, i) => `${comments(inside?.[i], '    ')}    ${p.key} = ${quote(p.value)}\n`).join('');
  // What stands before no pair stays before the closing brace (integer keys iterate in ascending order).
  const atEnd = Object.entries(inside ?? {}).filter(([k]) => ps[Number(k)] === undefined);
  return `  ${keyword} {\n${body}${atEnd.map(([, lines]) => comments(lines, '    ')).join('')}  }\n`;
}

function hold(h: Hold): string {
  return h.kind === 'duration' ? formatDuration(h.ms) : `${h.n} of ${h.m} steps`;
}

export function formatRule(r: RuleDecl): string {
  const c = r.comments;
  let out = `${comments(c?.before, '')}rule ${name(r.name)} {\n`;
  /** A clause's own comments, then the clause. */
  const clause = (keyword: string, text: string): void => {
    out += comments(c?.clauses?.[keyword], '  ') + text;
  };
  if (r.when) {
    const text = formatExpr(r.when);
    clause('when', `  when ${r.by && endsWithBareCall(r.when) ? `(${text})` : text}\n`);
  }
  if (r.by) clause('by', `  ${formatGrouping(r.by)}\n`);
  if (r.step) clause('step', `  step ${formatDuration(r.step.ms)}\n`);
  if (r.expect) clause('expect', `  expect ${r.expect.sources} ${r.expect.sources === 1 ? 'source' : 'sources'} by (${r.expect.by.join(', ')})\n`);
  if (r.hold) clause('for', `  for ${hold(r.hold)}\n`);
  if (r.keepFiring) clause('keep firing', `  keep firing for ${formatDuration(r.keepFiring.ms)}\n`);
  if (r.clear) clause('clear', `  clear when ${formatExpr(r.clear)}\n`);
  if (r.noData) clause('no data', `  no data for ${formatDuration(r.noData.ms)}${r.noData.action ? ` ${r.noData.action}` : ''}\n`);
  if (r.flapping) clause('flapping', `  flapping ${r.flapping.changes} changes within ${formatDuration(r.flapping.withinMs)}\n`);
  if (r.severity) clause('severity', `  severity ${name(r.severity.name)}\n`);
  clause('labels', pairs('labels', r.labels, c?.labels));
  clause('annotations', pairs('annotations', r.annotations, c?.annotations));
  if (r.notify.length > 0) clause('notify', `  notify ${r.notify.map((t) => name(t.name)).join(', ')}\n`);
  if (r.signature) clause('signature', `  signature ${quote(r.signature.value)}\n`);
  if (r.scope) clause('scope', `  scope ${r.scope.name}\n`);
  if (r.inhibit) clause('inhibit', `  inhibit${r.inhibit.matchers.length > 0 ? ` ${formatMatchers(r.inhibit.matchers)}` : ''}\n`);
  return `${out}${comments(c?.end, '  ')}}\n`;
}

export function format(file: RuleFile): string {
  const body = file.rules.map(formatRule).join('\n');
  const tail = file.trailingComments ? `${body ? '\n' : ''}${comments(file.trailingComments, '')}` : '';
  return body + tail;
}
