/**
 * Per-step accumulators of a data expression for one group: plain data so they
 * commit with the group's record, and independent of arrival order so points
 * reordered within the lateness window give the same value.
 */
import type { Aggregation } from '../language/index.js';
import type { Accumulator } from '../store/index.js';

export function newAccumulator(): Accumulator {
  return { n: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, lastTs: Number.NEGATIVE_INFINITY, last: 0 };
}

/** Folds one sample in. `series` names the series (for `rate`); `keepValues` for percentiles. */
export function accumulate(acc: Accumulator, agg: Aggregation, value: number, ts: number, series: string): void {
  acc.n++;
  acc.sum += value;
  if (value < acc.min) acc.min = value;
  if (value > acc.max) acc.max = value;
  // Equal timestamps: the larger value wins, so the result does not depend on arrival order.
  if (ts > acc.lastTs || (ts === acc.lastTs && value > acc.last)) {
    acc.lastTs = ts;
    acc.last = value;
  }
  if (agg === 'percentile') (acc.values ??= []).push(value);
  else if (agg === 'rate') ((acc.series ??= {})[series] ??= []).push([ts, value]);
}

/** The step's value; `undefined` when the group had no sample. */
export function aggregateValue(acc: Accumulator | null | undefined, agg: Aggregation, stepMs: number, percentile = 50): number | undefined {
  if (!acc || acc.n === 0) return undefined;
  switch (agg) {
    case 'sum':
      return acc.sum;
    case 'avg':
      return acc.sum / acc.n;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
    case 'count':
      return acc.n;
    case 'last':
      return acc.last;
    case 'percentile': {
      const sorted = [...acc.values!].sort((a, b) => a - b);
      return sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)];
    }
    case 'rate': {
      let increase = 0;
      for (const samples of Object.values(acc.series ?? {})) {
        const s = [...samples].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (let i = 1; i < s.length; i++) {
          const prev = s[i - 1]![1];
          const cur = s[i]![1];
          increase += cur >= prev ? cur - prev : cur;
        }
      }
      return increase / (stepMs / 1000);
    }
  }
}
