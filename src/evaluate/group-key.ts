/** The group an alert instance stands for, and the actor id built from it. */
import type { Tags } from '../core/index.js';
import type { GroupingIR } from '../language/index.js';

export interface Group {
  readonly key: string;
  readonly labels: Tags;
}

/** `by (a, b)` keeps those tags (missing ones as ""); no `by` keeps every tag of the series. */
export function groupOf(tags: Tags, groupBy: readonly string[] | undefined, read: (name: string) => string | undefined = (k) => tags[k]): Group {
  const labels: Record<string, string> = {};
  const keys = groupBy ?? Object.keys(tags).sort();
  let key = '';
  for (const k of keys) {
    const v = read(k) ?? '';
    labels[k] = v;
    key += `${key === '' ? '' : ','}${k}=${encodeURIComponent(v)}`;
  }
  return { key, labels };
}

/** The group of a series under a data expression's grouping. `read` looks a label up (events: tag, else field). */
export function groupByIR(tags: Tags, grouping: GroupingIR, read?: (name: string) => string | undefined): Group {
  switch (grouping.mode) {
    case 'by':
      return groupOf(tags, grouping.labels, read);
    case 'series':
      return groupOf(tags, undefined);
    case 'without': {
      const drop = new Set(grouping.labels);
      return groupOf(tags, Object.keys(tags).filter((k) => !drop.has(k)).sort());
    }
  }
}

/** A stable name of a series: its metric and all tags. */
export function seriesKey(name: string, tags: Tags): string {
  return `${name}{${groupOf(tags, undefined).key}}`;
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
