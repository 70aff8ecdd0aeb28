/**
 * Selectors and group keys, re-derived from rule-language.md rather than taken
 * from the compiler's closures: the oracle reads only the matcher's label, op
 * and value out of the IR.
 */
import type { Tags } from '../../src/core/index.js';
import type { CompiledMatcher, EventMatch, GroupingIR, InputIR, Selector } from '../../src/language/index.js';
import type { Item } from './model.js';

/** Anchored regexes, a missing tag as "". */
function test(m: CompiledMatcher, actual: string): boolean {
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(actual);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(actual);
  }
}

/** An event's attribute: its tag, else its field as a string, else "". */
export function attribute(item: Item, name: string): string {
  if (item.kind === 'point') return item.point.tags[name] ?? '';
  const tag = item.event.tags[name];
  if (tag !== undefined) return tag;
  const field = item.event.fields[name];
  return field === undefined ? '' : String(field);
}

export function matchesSelector(s: Selector, item: Item): boolean {
  return item.kind === 'point' && item.point.name === s.metric && s.matchers.every((m) => test(m, attribute(item, m.label)));
}

export function matchesEvent(e: EventMatch, item: Item): boolean {
  return item.kind === 'event' && item.event.type === e.type && e.matchers.every((m) => test(m, attribute(item, m.label)));
}

export function matchesInput(input: InputIR, item: Item): boolean {
  return input.source === 'metric' ? matchesSelector(input.selector, item) : matchesEvent(input.events, item);
}

/** `k=v` pairs joined by ',', values URI-encoded: `by` labels in their order, otherwise the kept tags sorted. */
export function keyOf(labels: readonly string[], item: Item): string {
  return labels.map((l) => `${l}=${encodeURIComponent(attribute(item, l))}`).join(',');
}

function tagsOf(item: Item): Tags {
  return item.kind === 'point' ? item.point.tags : item.event.tags;
}

export function groupKey(grouping: GroupingIR, item: Item): string {
  if (grouping.mode === 'by') return keyOf(grouping.labels, item);
  const drop = grouping.mode === 'without' ? new Set(grouping.labels) : new Set<string>();
  return keyOf(Object.keys(tagsOf(item)).filter((k) => !drop.has(k)).sort(), item);
}

/** The series an item belongs to (for `rate`): its metric and every tag. */
export function seriesOf(item: Item): string {
  return `${item.kind === 'point' ? item.point.name : item.event.type}{${keyOf(Object.keys(tagsOf(item)).sort(), item)}}`;
}
