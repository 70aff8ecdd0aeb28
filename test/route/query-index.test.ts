import { describe, expect, it } from 'vitest';
import type { DataPoint } from '../../src/core/index.js';
import { compileMatcher, type MatchOp, type Selector } from '../../src/language/index.js';
import { QueryIndex } from '../../src/route/index.js';

const sel = (metric: string, ...m: Array<[string, MatchOp, string]>): Selector => ({ metric, matchers: m.map(([l, op, v]) => compileMatcher(l, op, v)) });
const pt = (name: string, tags: Record<string, string>): DataPoint => ({ name, tags, value: 1, ts: 0 });

function matches(index: QueryIndex<string>, p: DataPoint): string[] {
  const out: string[] = [];
  index.match(p, (v) => out.push(v));
  return out.sort();
}

describe('query index', () => {
  it('matches by metric name and every matcher kind', () => {
    const idx = new QueryIndex<string>();
    idx.add('any', sel('cpu'), 'any');
    idx.add('eq', sel('cpu', ['cluster', '=', 'a']), 'eq');
    idx.add('ne', sel('cpu', ['cluster', '!=', 'a']), 'ne');
    idx.add('re', sel('cpu', ['cluster', '=~', 'a|b']), 're');
    idx.add('nre', sel('cpu', ['cluster', '!~', 'b.*']), 'nre');
    idx.add('two', sel('cpu', ['cluster', '=', 'a'], ['node', '=', 'n1']), 'two');
    idx.add('mem', sel('mem'), 'mem');
    expect(matches(idx, pt('cpu', { cluster: 'a', node: 'n1' }))).toEqual(['any', 'eq', 'nre', 're', 'two']);
    expect(matches(idx, pt('cpu', { cluster: 'b' }))).toEqual(['any', 'ne', 're']);
    expect(matches(idx, pt('cpu', {}))).toEqual(['any', 'ne', 'nre']);
    expect(matches(idx, pt('disk', { cluster: 'a' }))).toEqual([]);
  });

  it('treats an equality to the empty string as "tag absent", like Prometheus', () => {
    const idx = new QueryIndex<string>();
    idx.add('noenv', sel('cpu', ['env', '=', '']), 'noenv');
    expect(matches(idx, pt('cpu', {}))).toEqual(['noenv']);
    expect(matches(idx, pt('cpu', { env: 'prod' }))).toEqual([]);
  });

  it('replaces and removes subscriptions live', () => {
    const idx = new QueryIndex<string>();
    idx.add('r', sel('cpu', ['cluster', '=', 'a']), 'v1');
    idx.add('r', sel('cpu', ['cluster', '=', 'b']), 'v2');
    expect(matches(idx, pt('cpu', { cluster: 'a' }))).toEqual([]);
    expect(matches(idx, pt('cpu', { cluster: 'b' }))).toEqual(['v2']);
    idx.remove('r');
    expect(idx.size).toBe(0);
    expect(matches(idx, pt('cpu', { cluster: 'b' }))).toEqual([]);
  });

  it('only looks at subscriptions filed under the point\'s own tag values', () => {
    const idx = new QueryIndex<string>();
    for (let i = 0; i < 10_000; i++) idx.add(`r${i}`, sel('cpu', ['cluster', '=', `c${i}`]), `r${i}`);
    expect(matches(idx, pt('cpu', { cluster: 'c4242' }))).toEqual(['r4242']);
  });
});
