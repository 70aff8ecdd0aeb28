/** A deterministic workload for crash tests: numbered batches whose alerts flap and wait on `for` deadlines. */
import type { DataPointMsg } from '../../src/api/index.js';

export const crashRules = `
rule hot {
  when cpu{env="prod"} > 80
  by (node)
  for 30s
}
rule spike {
  when cpu{env="prod"} > 95
  by (node)
}
rule idle {
  when cpu < 5
}
`;

export interface WorkloadOptions {
  batches: number;
  nodes: number;
  /** Points per node per batch. */
  perNode: number;
  seed: number;
}

export const T0 = Date.UTC(2026, 0, 1);
const batchSpanMs = 5_000;

/** Batch `i` of the workload; the same options always give the same points. */
export function* batches(o: WorkloadOptions): Generator<DataPointMsg[]> {
  let s = o.seed >>> 0;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const level = Array.from({ length: o.nodes }, () => 50);
  for (let b = 0; b < o.batches; b++) {
    const points: DataPointMsg[] = [];
    for (let k = 0; k < o.perNode; k++) {
      const ts = T0 + b * batchSpanMs + Math.floor((k * batchSpanMs) / o.perNode);
      for (let n = 0; n < o.nodes; n++) {
        // A bounded random walk: long enough above 80 to outlast `for 30s` sometimes, not always.
        level[n] = Math.min(100, Math.max(0, level[n]! + (rand() - 0.5) * 12));
        points.push({ name: 'cpu', tags: { env: 'prod', node: `n${n}` }, value: Math.round(level[n]! * 10) / 10, tsMs: ts });
      }
    }
    yield points;
  }
}
