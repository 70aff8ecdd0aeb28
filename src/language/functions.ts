/** The functions a rule may call, and what each expects: the checker's and the reference's single source. */
import type { Aggregation, WindowFn } from './ir.js';
import { closest } from './suggest.js';

export type FunctionSpec =
  /** Per-step aggregation of a selector: a data expression; may take `by`/`without`. */
  | { readonly kind: 'aggregation'; readonly aggregation: Aggregation; readonly percentile?: number; readonly doc: string }
  /** `fn(x, duration)` over the last steps of x. */
  | { readonly kind: 'window'; readonly fn: WindowFn; readonly doc: string }
  | { readonly kind: 'change'; readonly doc: string }
  | { readonly kind: 'trend'; readonly direction: 'up' | 'down'; readonly doc: string }
  | { readonly kind: 'fill'; readonly doc: string };

export const functions: Readonly<Record<string, FunctionSpec>> = {
  sum: { kind: 'aggregation', aggregation: 'sum', doc: 'sum of the values in the step' },
  avg: { kind: 'aggregation', aggregation: 'avg', doc: 'mean of the values in the step' },
  min: { kind: 'aggregation', aggregation: 'min', doc: 'smallest value in the step' },
  max: { kind: 'aggregation', aggregation: 'max', doc: 'largest value in the step' },
  count: { kind: 'aggregation', aggregation: 'count', doc: 'number of points (or events) in the step' },
  last: { kind: 'aggregation', aggregation: 'last', doc: 'newest value in the step' },
  rate: { kind: 'aggregation', aggregation: 'rate', doc: 'per-second increase of a counter over the step' },
  percentile: { kind: 'aggregation', aggregation: 'percentile', doc: 'percentile(x, q): the q-th percentile (0 < q <= 100) of the values in the step' },
  p50: { kind: 'aggregation', aggregation: 'percentile', percentile: 50, doc: 'median of the values in the step' },
  p90: { kind: 'aggregation', aggregation: 'percentile', percentile: 90, doc: '90th percentile of the values in the step' },
  p95: { kind: 'aggregation', aggregation: 'percentile', percentile: 95, doc: '95th percentile of the values in the step' },
  p99: { kind: 'aggregation', aggregation: 'percentile', percentile: 99, doc: '99th percentile of the values in the step' },
  avg_over: { kind: 'window', fn: 'avg', doc: 'avg_over(x, 10m): mean of x over the window' },
  min_over: { kind: 'window', fn: 'min', doc: 'min_over(x, 10m): smallest x in the window' },
  max_over: { kind: 'window', fn: 'max', doc: 'max_over(x, 10m): largest x in the window' },
  sum_over: { kind: 'window', fn: 'sum', doc: 'sum_over(x, 10m): sum of x over the window' },
  count_over: { kind: 'window', fn: 'count', doc: 'count_over(c, 10m): steps in the window where c held (or x had data)' },
  change: { kind: 'change', doc: 'change(x, 1h): x minus x one hour earlier' },
  growing: { kind: 'trend', direction: 'up', doc: 'growing(x, 3): x rose at each of the last 3 steps' },
  falling: { kind: 'trend', direction: 'down', doc: 'falling(x, 3): x fell at each of the last 3 steps' },
  fill: { kind: 'fill', doc: 'fill(x, 0): x, or 0 in a step where x has no data' },
};

/** The known function closest to a misspelt one, for "did you mean". */
export function suggestFunction(name: string): string | undefined {
  return closest(name, Object.keys(functions));
}
