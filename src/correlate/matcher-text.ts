/** Matchers written as text (`cluster=c1`, `severity=~"crit.*"`), as operators type them in the CLI and config files. */
import { ArgumentError } from '../core/index.js';
import type { MatcherSpec } from './model.js';

const pattern = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** Parses `label op value`; the value may be double-quoted (then `\"` and `\\` are escapes). `field` names the input in errors. */
export function parseMatcher(text: string, field = 'matcher'): MatcherSpec {
  const m = pattern.exec(text);
  if (!m) throw new ArgumentError(field, `"${text}" is not a matcher; write label=value, label!=value, label=~regex or label!~regex`);
  let value = m[3]!;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return { label: m[1]!, op: m[2] as MatcherSpec['op'], value };
}

export function formatMatcher(m: MatcherSpec): string {
  return `${m.label}${m.op}${JSON.stringify(m.value)}`;
}
