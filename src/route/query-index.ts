/**
 * Maps a data point to the subscriptions whose selectors match it. Each
 * subscription is filed under its metric name and one of its equality
 * matchers, so routing cost depends on the point's tags and the number of
 * matches, not on how many rules exist. Only the remaining matchers (regex,
 * negative, further equalities) are checked one by one.
 */
import type { DataPoint } from '../core/index.js';
import type { Selector } from '../language/index.js';

interface Entry<T> {
  readonly id: string;
  readonly selector: Selector;
  readonly value: T;
  /** Where the entry is filed, so removal is O(1). */
  readonly anchor?: { label: string; value: string };
}

interface MetricBucket<T> {
  /** label → value → entries whose anchor is that equality. */
  readonly byEquality: Map<string, Map<string, Map<string, Entry<T>>>>;
  /** Entries without any usable equality matcher: checked one by one. */
  readonly unanchored: Map<string, Entry<T>>;
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
    const entry: Entry<T> = { id, selector, value, ...(eq ? { anchor: { label: eq.label, value: eq.value } } : {}) };
    this.entries.set(id, entry);
    const bucket = this.bucket(selector.metric);
    if (!entry.anchor) {
      bucket.unanchored.set(id, entry);
      return;
    }
    let values = bucket.byEquality.get(entry.anchor.label);
    if (!values) bucket.byEquality.set(entry.anchor.label, (values = new Map()));
    let ids = values.get(entry.anchor.value);
    if (!ids) values.set(entry.anchor.value, (ids = new Map()));
    ids.set(id, entry);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const bucket = this.metrics.get(entry.selector.metric)!;
    if (!entry.anchor) bucket.unanchored.delete(id);
    else {
      const values = bucket.byEquality.get(entry.anchor.label)!;
      const ids = values.get(entry.anchor.value)!;
      ids.delete(id);
      if (ids.size === 0) values.delete(entry.anchor.value);
      if (values.size === 0) bucket.byEquality.delete(entry.anchor.label);
    }
    if (bucket.unanchored.size === 0 && bucket.byEquality.size === 0) this.metrics.delete(entry.selector.metric);
  }

  /** Calls `visit` for every subscription matching the point. */
  match(point: DataPoint, visit: (value: T, id: string) => void): void {
    const bucket = this.metrics.get(point.name);
    if (!bucket) return;
    for (const entry of bucket.unanchored.values()) if (matchesAll(entry.selector, point)) visit(entry.value, entry.id);
    if (bucket.byEquality.size === 0) return;
    for (const label in point.tags) {
      const values = bucket.byEquality.get(label);
      if (!values) continue;
      const ids = values.get(point.tags[label]!);
      if (!ids) continue;
      for (const entry of ids.values()) if (matchesAll(entry.selector, point)) visit(entry.value, entry.id);
    }
  }

  private bucket(metric: string): MetricBucket<T> {
    let b = this.metrics.get(metric);
    if (!b) this.metrics.set(metric, (b = { byEquality: new Map(), unanchored: new Map() }));
    return b;
  }
}

function matchesAll(selector: Selector, point: DataPoint): boolean {
  for (const m of selector.matchers) if (!m.test(point.tags[m.label])) return false;
  return true;
}
