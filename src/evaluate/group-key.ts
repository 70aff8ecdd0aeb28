/** The group an alert instance stands for, and the actor id built from it. */
import { createHash } from 'node:crypto';
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
    key += `${key === '' ? '' : ','}${k}=${encode(v)}`;
  }
  return { key: bounded(key), labels };
}

/**
 * Group keys become LMDB keys (actor ids, deadlines), which must stay under
 * 1,978 bytes; a longer key is replaced by its hash (the labels stay in the record).
 */
const MAX_KEY_LENGTH = 512;
const bounded = (key: string): string => (key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`);

// Values made only of these characters read the same encoded; skipping encodeURIComponent for them is the hot path.
const PLAIN = /^[\w.~-]*$/;
const encode = (v: string): string => (PLAIN.test(v) ? v : encodeURIComponent(v));

// The last key computed: a point routed to many rules that group alike is keyed once, not once per rule.
let lastTags: Tags | undefined;
let lastLabels: readonly string[] = [];
let lastRead: ((name: string) => string | undefined) | undefined;
let lastKey = '';

const sameLabels = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((l, i) => l === b[i]));

/** Just the key of `groupOf(tags, labels)`, without building the labels object (the per-point path). */
export function groupKey(tags: Tags, labels: readonly string[], read?: (name: string) => string | undefined): string {
  if (tags === lastTags && read === lastRead && sameLabels(labels, lastLabels)) return lastKey;
  let key: string;
  if (labels.length === 1) {
    const l = labels[0]!;
    key = bounded(`${l}=${encode((read ? read(l) : tags[l]) ?? '')}`);
  } else {
    key = '';
    for (const l of labels) key += `${key === '' ? '' : ','}${l}=${encode((read ? read(l) : tags[l]) ?? '')}`;
    key = bounded(key);
  }
  lastTags = tags;
  lastLabels = labels;
  lastRead = read;
  lastKey = key;
  return key;
}

/** The labels a grouping keeps of a series (`groupByIR(...).labels`). */
export function labelNames(tags: Tags, grouping: GroupingIR): readonly string[] {
  if (grouping.mode === 'by') return grouping.labels;
  const keys = Object.keys(tags).sort();
  if (grouping.mode === 'series') return keys;
  const drop = new Set(grouping.labels);
  return keys.filter((k) => !drop.has(k));
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
