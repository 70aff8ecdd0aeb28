/**
 * Maps a data point to the subscriptions whose selectors match it. Each
 * subscription is filed under its metric name and one of its equality
 * matchers, so routing cost depends on the point's tags and the number of
 * matches, not on how many rules exist. Only the remaining matchers (regex,
 * negative, further equalities) are checked one by one.
 */
import type { DataPoint } from '../core/index.js';
import type { CompiledMatcher, Selector } from '../language/index.js';

interface Entry<T> {
  readonly id: string;
  readonly selector: Selector;
  readonly value: T;
  /** Where the entry is filed, so removal is O(1). */
  readonly anchor?: { label: string; value: string };
}

interface MetricBucket<T> {
  /** label → value → entries whose anchor is that equality (arrays: iterated on every point). */
  readonly byEquality: Map<string, Map<string, Array<Entry<T>>>>;
  /** Entries without any usable equality matcher: checked one by one. */
  readonly unanchored: Array<Entry<T>>;
}

export class QueryIndex<T> {
  private readonly metrics = new Map<string, MetricBucket<T>>();
  private readonly entries = new Map<string, Entry<T>>();

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces the subscription `id`. */
  add(id: string, selector: Selector, value: T): void {
    this.remove(id);
    // An equality to "" also matches series without the tag, so it cannot anchor.
    const eq = selector.matchers.find((m) => m.op === '=' && m.value !== '');
    // The anchor equality is known to hold for every point found through it; regexes get a cache.
    const rest = selector.matchers.filter((m) => m !== eq).map(cached);
    const entry: Entry<T> = { id, selector: { metric: selector.metric, matchers: rest }, value, ...(eq ? { anchor: { label: eq.label, value: eq.value } } : {}) };
    this.entries.set(id, entry);
    const bucket = this.bucket(selector.metric);
    if (!entry.anchor) {
      bucket.unanchored.push(entry);
      return;
    }
    let values = bucket.byEquality.get(entry.anchor.label);
    if (!values) bucket.byEquality.set(entry.anchor.label, (values = new Map()));
    let list = values.get(entry.anchor.value);
    if (!list) values.set(entry.anchor.value, (list = []));
    list.push(entry);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const bucket = this.metrics.get(entry.selector.metric)!;
    if (!entry.anchor) bucket.unanchored.splice(bucket.unanchored.indexOf(entry), 1);
    else {
      const values = bucket.byEquality.get(entry.anchor.label)!;
      const list = values.get(entry.anchor.value)!;
      list.splice(list.indexOf(entry), 1);
      if (list.length === 0) values.delete(entry.anchor.value);
      if (values.size === 0) bucket.byEquality.delete(entry.anchor.label);
    }
    if (bucket.unanchored.length === 0 && bucket.byEquality.size === 0) this.metrics.delete(entry.selector.metric);
  }

  /** Calls `visit` for every subscription matching the point. */
  match(point: DataPoint, visit: (value: T, id: string) => void): void {
    const bucket = this.metrics.get(point.name);
    if (!bucket) return;
    for (const entry of bucket.unanchored) if (matchesAll(entry.selector, point)) visit(entry.value, entry.id);
    if (bucket.byEquality.size === 0) return;
    if (bucket.byEquality.size === 1) {
      // The common case: every selector of the metric anchors on the same label.
      const [label, values] = bucket.byEquality.entries().next().value!;
      const v = point.tags[label];
      const list = v === undefined ? undefined : values.get(v);
      if (list) for (const entry of list) if (matchesAll(entry.selector, point)) visit(entry.value, entry.id);
      return;
    }
    for (const label in point.tags) {
      const list = bucket.byEquality.get(label)?.get(point.tags[label]!);
      if (list) for (const entry of list) if (matchesAll(entry.selector, point)) visit(entry.value, entry.id);
    }
  }

  private bucket(metric: string): MetricBucket<T> {
    let b = this.metrics.get(metric);
    if (!b) this.metrics.set(metric, (b = { byEquality: new Map(), unanchored: [] }));
    return b;
  }
}

const CACHE_LIMIT = 10_000;

/** Regex matchers remember their answer per tag value (bounded); others are cheap already. */
function cached(m: CompiledMatcher): CompiledMatcher {
  if (m.op !== '=~' && m.op !== '!~') return m;
  let memo = new Map<string | undefined, boolean>();
  const test = (v: string | undefined): boolean => {
    let r = memo.get(v);
    if (r === undefined) {
      if (memo.size >= CACHE_LIMIT) memo = new Map();
      memo.set(v, (r = m.test(v)));
    }
    return r;
  };
  return { ...m, test };
}

function matchesAll(selector: Selector, point: DataPoint): boolean {
  for (const m of selector.matchers) if (!m.test(point.tags[m.label])) return false;
  return true;
}
