/**
 * Annotation and signature templates: `{{ $labels.cluster }}`, `{{ $value }}`,
 * `{{ $rule }}`. Parsed once into parts; rendering only concatenates.
 */
import type { StepValue, TemplateContext, TemplateIR, TemplatePart } from './ir.js';

export interface TemplateError {
  /** Offset of the problem inside the template text. */
  readonly offset: number;
  readonly message: string;
}

const placeholder = /^\s*\$(labels\.([A-Za-z_][A-Za-z0-9_:.]*)|value|rule)\s*$/;

/** Splits a template into parts; every problem is reported with its offset. */
export function parseTemplate(source: string): { parts: TemplatePart[]; errors: TemplateError[] } {
  const parts: TemplatePart[] = [];
  const errors: TemplateError[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) {
      errors.push({ offset: open, message: "'{{' is never closed with '}}'" });
      break;
    }
    const inner = source.slice(open + 2, close);
    const m = placeholder.exec(inner);
    if (!m) errors.push({ offset: open, message: `unknown template placeholder '{{${inner}}}'; use $labels.NAME, $value or $rule` });
    else if (m[2] !== undefined) parts.push({ label: m[2] });
    else parts.push({ variable: m[1] as 'value' | 'rule' });
    i = close + 2;
  }
  return { parts, errors };
}

function formatValue(v: StepValue): string {
  if (v === undefined) return 'no data';
  if (typeof v === 'boolean') return String(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function compileTemplate(source: string, parts: readonly TemplatePart[], rule: string): TemplateIR {
  const render = (ctx: TemplateContext): string => {
    let out = '';
    for (const p of parts) {
      if (p.text !== undefined) out += p.text;
      else if (p.label !== undefined) out += ctx.labels[p.label] ?? '';
      else if (p.variable === 'value') out += formatValue(ctx.value);
      else out += rule;
    }
    return out;
  };
  return { source, parts, render };
}
