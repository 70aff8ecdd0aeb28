/** Checks and lowers a rule's metadata: severity, labels, templated annotations, routing, correlation. */
import type { RuleDecl, Span } from './ast.js';
import type { ExprScope } from './check-expr.js';
import { checkMatchers } from './check-expr.js';
import type { GroupingIR, MetaIR, TemplateIR } from './ir.js';
import { compileMatcher } from './matchers.js';
import { compileTemplate, parseTemplate } from './templates.js';

export const DEFAULT_SEVERITY = 'warning';

/** Whether an alert of this rule carries `label`: known for `by`, open for `without` and per-series groups. */
export function labelKnown(group: GroupingIR | undefined, staticLabels: ReadonlySet<string>, label: string): boolean {
  if (staticLabels.has(label)) return true;
  if (!group || group.mode === 'series') return true;
  return group.mode === 'by' ? group.labels.includes(label) : !group.labels.includes(label);
}

function availableLabels(group: GroupingIR | undefined, staticLabels: ReadonlySet<string>): string {
  if (!group || group.mode !== 'by') return '';
  const all = [...group.labels, ...staticLabels];
  return all.length > 0 ? `; the alert has ${all.join(', ')}` : '; the alert has no labels: add by (...)';
}

/** Where inside a string literal an offset of its text sits (exact for one-line strings without escapes). */
function inside(valueSpan: Span, offset: number): Span {
  const column = valueSpan.column + 1 + offset;
  return { ...valueSpan, column, endLine: valueSpan.line, endColumn: column + 2 };
}

function template(scope: ExprScope, source: string, valueSpan: Span, group: GroupingIR | undefined, staticLabels: ReadonlySet<string>, rule: string): TemplateIR {
  const { parts, errors } = parseTemplate(source);
  for (const e of errors) scope.err(inside(valueSpan, e.offset), e.message);
  let offset = 0;
  for (const p of parts) {
    if (p.label !== undefined && !labelKnown(group, staticLabels, p.label)) {
      const at = source.indexOf(`$labels.${p.label}`, offset);
      scope.err(inside(valueSpan, Math.max(0, at)), `the alert has no label "${p.label}"${availableLabels(group, staticLabels)}`);
      offset = Math.max(offset, at + 1);
    }
  }
  return compileTemplate(source, parts, rule);
}

export function lowerMeta(scope: ExprScope, rule: RuleDecl, group: GroupingIR | undefined): MetaIR {
  const severity = rule.severity?.name ?? DEFAULT_SEVERITY;
  if (rule.severity && severity.trim() === '') scope.err(rule.severity.span, 'severity must not be empty');

  const labels: Record<string, string> = {};
  for (const p of rule.labels) {
    if (p.key in labels) scope.err(p.span, `label "${p.key}" is set twice`);
    if (p.value.includes('{{')) scope.err(p.valueSpan, 'labels are fixed values that name the alert; put templates in annotations');
    labels[p.key] = p.value;
  }
  const staticLabels = new Set(Object.keys(labels));

  const annotations: Record<string, TemplateIR> = {};
  for (const p of rule.annotations) {
    if (p.key in annotations) scope.err(p.span, `annotation "${p.key}" is set twice`);
    annotations[p.key] = template(scope, p.value, p.valueSpan, group, staticLabels, rule.name);
  }

  const notify: string[] = [];
  for (const t of rule.notify) {
    if (t.name.trim() === '') scope.err(t.span, 'a delivery target name must not be empty');
    else if (notify.includes(t.name)) scope.err(t.span, `delivery target "${t.name}" is listed twice`);
    notify.push(t.name);
  }

  const meta: { -readonly [K in keyof MetaIR]: MetaIR[K] } = { severity, labels, annotations, notify };
  if (rule.signature) {
    if (rule.signature.value.trim() === '') scope.err(rule.signature.valueSpan, 'the signature must not be empty');
    meta.signature = template(scope, rule.signature.value, rule.signature.valueSpan, group, staticLabels, rule.name);
  }
  if (rule.scope) {
    if (!labelKnown(group, new Set(), rule.scope.name)) {
      scope.err(rule.scope.span, `scope "${rule.scope.name}" must be one of the labels the alert is grouped by${availableLabels(group, new Set())}`);
    }
    meta.scope = rule.scope.name;
  }
  if (rule.inhibit) {
    if (!rule.scope) scope.err(rule.inhibit.span, "'inhibit' acts on the other alerts of the same scope: add 'scope <label>'");
    checkMatchers(scope, rule.inhibit.matchers);
    meta.inhibit = { matchers: rule.inhibit.matchers.map((m) => compileMatcher(m.label, m.op, m.value)) };
  }
  return meta;
}
