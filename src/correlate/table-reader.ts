/** Correlate's records as a key-value table holds them (the engine's LMDB `correlate` table), without correlate depending on the store. */
import type { CorrelateReader, CorrelateRecord } from './model.js';

/** The part of an LMDB database (lmdb-js `Database`) correlate reads. */
export interface RecordTable {
  get(id: string): CorrelateRecord | undefined;
  getRange(options: { start: string; end: string }): Iterable<{ readonly value: CorrelateRecord }>;
}

export function tableReader(table: RecordTable): CorrelateReader {
  return {
    get: (id) => table.get(id),
    *list(prefix) {
      for (const { value } of table.getRange({ start: prefix, end: `${prefix}\uffff` })) yield value;
    },
  };
}
