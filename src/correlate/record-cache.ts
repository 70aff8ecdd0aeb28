/**
 * Correlate's records as this batch sees them: loaded lazily from the committed
 * store, changed in memory, and every change also put into the batch's effects
 * so the engine commits exactly what memory holds.
 */
import type { CorrelateEffects } from './effects.js';
import type { CorrelateReader, CorrelateRecord } from './model.js';

type Kind = CorrelateRecord['kind'];
type OfKind<K extends Kind> = Extract<CorrelateRecord, { kind: K }>;

export class RecordCache {
  // `null` remembers a deletion not yet committed, so the committed record is not read back.
  private readonly cache = new Map<string, CorrelateRecord | null>();

  constructor(private readonly reader: CorrelateReader) {}

  get size(): number {
    return this.cache.size;
  }

  get<K extends Kind>(id: string, kind: K): OfKind<K> | undefined {
    let rec = this.cache.get(id);
    if (rec === undefined) {
      rec = this.reader.get(id) ?? null;
      this.cache.set(id, rec);
    }
    // A record of another kind under this id would be a bug elsewhere; treat it as absent rather than misread it.
    return rec !== null && rec.kind === kind ? (rec as OfKind<K>) : undefined;
  }

  put(rec: CorrelateRecord, fx: CorrelateEffects): void {
    this.cache.set(rec.id, rec);
    fx.records.set(rec.id, rec);
  }

  remove(id: string, fx: CorrelateEffects): void {
    this.cache.set(id, null);
    fx.records.set(id, null);
  }

  /** Forgets everything: after a commit (to bound memory) or a failed one (memory ran ahead of disk). */
  clear(): void {
    this.cache.clear();
  }

  list<K extends Kind>(prefix: string, kind: K): OfKind<K>[] {
    const out: OfKind<K>[] = [];
    for (const rec of this.reader.list(prefix)) if (rec.kind === kind) out.push(rec as OfKind<K>);
    return out;
  }
}
