/** The group an alert instance stands for, and the actor id built from it. */
import type { Tags } from '../core/index.js';

export interface Group {
  readonly key: string;
  readonly labels: Tags;
}

/** `by (a, b)` keeps those tags (missing ones as ""); no `by` keeps every tag of the series. */
export function groupOf(tags: Tags, groupBy: readonly string[] | undefined): Group {
  const labels: Record<string, string> = {};
  const keys = groupBy ?? Object.keys(tags).sort();
  let key = '';
  for (const k of keys) {
    const v = tags[k] ?? '';
    labels[k] = v;
    key += `${key === '' ? '' : ','}${k}=${encodeURIComponent(v)}`;
  }
  return { key, labels };
}

export function alertActorId(rule: string, groupKey: string): string {
  return `alert/${rule}/${groupKey}`;
}

/** The rule name inside an alert actor id (rule names never contain '/'). */
export function ruleOfActorId(id: string): string | undefined {
  if (!id.startsWith('alert/')) return undefined;
  const end = id.indexOf('/', 6);
  return end < 0 ? undefined : id.slice(6, end);
}
