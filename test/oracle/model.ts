/** What the reference evaluator reads and writes: batches in arrival order in, alert transitions out. */
import type { AlertState, DataPoint, VigilEvent } from '../../src/core/index.js';

/** One ingest call: the items one source delivered together, in the order it sent them. */
export interface OracleBatch {
  readonly source: string;
  readonly points: readonly DataPoint[];
  readonly events?: readonly VigilEvent[];
}

/** One input item as the oracle tracks it: where and when (in arrival order) it came. */
export type Item = ({ readonly kind: 'point'; readonly point: DataPoint } | { readonly kind: 'event'; readonly event: VigilEvent }) & {
  readonly ts: number;
  readonly source: string;
  /** Position in the global arrival order (batches in order, each sorted by event time). */
  readonly arrival: number;
  /** Index of the batch it came in. */
  readonly batch: number;
};

export interface OracleTransition {
  /** `alert/<rule>/<group key>` */
  readonly alert: string;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly ts: number;
}

export interface OracleResult {
  readonly transitions: readonly OracleTransition[];
  /** Late items per batch (each item once, whatever it would have matched). */
  readonly latePerBatch: readonly number[];
  /** Late items per rule they would have matched (once per rule), then per source: `{ rule: { source: n } }`. */
  readonly latePerRule: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
