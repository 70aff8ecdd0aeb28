/**
 * The one LMDB environment of a Vigil instance and its named databases.
 * All effects of one input batch are written by `commit` in a single write
 * transaction, and the promise resolves only once the data is flushed.
 */
import { mkdirSync } from 'node:fs';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import { ErrorCodes, StoreError, VigilError, type AlertEvent } from '../core/index.js';
import type { DeadLetter } from '../ingest/index.js';
import type { ActorRecord, StoredRule } from './records.js';

/**
 * Layout version of the data directory. Bump it when a table's shape changes,
 * teach `Store.open` (and the record readers) to read the previous one, and
 * add a fixture written by the previous version under test/fixtures/.
 */
/**
 * The data directory's layout version. 2: alert snapshots v2 (keep-firing,
 * flapping, no data), step state in alert records, the correlate table, outbox v2.
 */
export const DATA_SCHEMA_VERSION = 2;
const SCHEMA_KEY = 'schema';

export interface StoreOptions {
  /** Directory of the LMDB environment. @default './data' */
  dataDir: string;
  /** Largest map size LMDB may grow to, in bytes. @default 8 GiB */
  mapSizeBytes?: number;
}

/** A write to a table opened with `Store.openTable`; `value: null` deletes. */
export interface TableWrite {
  readonly table: Database<unknown, Key>;
  readonly key: Key;
  readonly value: unknown;
}

/** Everything one input batch changed, committed atomically. */
export interface CommitBatch {
  /** Actor records to write; `null` deletes. */
  readonly actors: ReadonlyMap<string, ActorRecord | null>;
  readonly events: readonly AlertEvent[];
  readonly deadlinesAdded: ReadonlyArray<readonly [number, string]>;
  readonly deadlinesRemoved: ReadonlyArray<readonly [number, string]>;
  readonly meta: ReadonlyMap<string, unknown>;
  readonly rules?: ReadonlyMap<string, StoredRule | null>;
  /** Source partition → next offset to read, committed with the effects that offset produced. */
  readonly offsets?: ReadonlyMap<string, number>;
  readonly deadLetters?: readonly DeadLetter[];
  /** Writes to stage-owned tables (e.g. the outbox), in the same transaction. */
  readonly writes?: readonly TableWrite[];
}

export class Store {
  readonly rules: Database<StoredRule, string>;
  readonly actors: Database<ActorRecord, string>;
  readonly events: Database<AlertEvent, number>;
  readonly deadlines: Database<true, [number, string]>;
  readonly meta: Database<unknown, string>;
  readonly offsets: Database<number, string>;
  /** Rejected inputs, keyed by [wall-clock ms, source, offset or -1]. */
  readonly deadLetters: Database<DeadLetter, [number, string, number]>;

  private constructor(private readonly env: RootDatabase) {
    this.rules = env.openDB<StoredRule, string>({ name: 'rules' });
    this.actors = env.openDB<ActorRecord, string>({ name: 'actors' });
    this.events = env.openDB<AlertEvent, number>({ name: 'events' });
    this.deadlines = env.openDB<true, [number, string]>({ name: 'deadlines' });
    this.meta = env.openDB<unknown, string>({ name: 'meta' });
    this.offsets = env.openDB<number, string>({ name: 'offsets' });
    this.deadLetters = env.openDB<DeadLetter, [number, string, number]>({ name: 'deadletter' });
  }

  static open(options: StoreOptions): Store {
    mkdirSync(options.dataDir, { recursive: true });
    let store: Store;
    try {
      const env = open({ path: options.dataDir, maxDbs: 64, mapSize: options.mapSizeBytes ?? 8 * 1024 ** 3 });
      store = new Store(env);
    } catch (cause) {
      throw new StoreError(`cannot open the data directory ${options.dataDir}`, cause);
    }
    const found = store.meta.get(SCHEMA_KEY) as { version: number } | undefined;
    if (found && found.version > DATA_SCHEMA_VERSION) {
      void store.close();
      throw new VigilError(
        ErrorCodes.CONFIG_INVALID,
        `the data directory ${options.dataDir} was written by a newer Vigil (schema ${found.version}); this one reads schema ${DATA_SCHEMA_VERSION} and older`,
      );
    }
    // An older directory is read as it is and written in the new layout from now on: mark it, so
    // the older Vigil that wrote it refuses it instead of misreading records it does not know.
    if (!found || found.version < DATA_SCHEMA_VERSION) store.meta.putSync(SCHEMA_KEY, { version: DATA_SCHEMA_VERSION, ...(found ? { upgradedFrom: found.version } : {}) });
    return store;
  }

  /** The data directory's schema version (an older directory is marked with the current one when opened). */
  schemaVersion(): number {
    return (this.meta.get(SCHEMA_KEY) as { version: number } | undefined)?.version ?? DATA_SCHEMA_VERSION;
  }

  /**
   * Opens (or creates) a named table owned by a stage, e.g. the deliver stage's
   * `outbox` and `archive`. Writes that must be atomic with a batch go through
   * `CommitBatch.writes`; a stage may write on its own (outside batches) with
   * the table's own async `put`/`remove`.
   */
  openTable<V, K extends Key = string>(name: string): Database<V, K> {
    return this.env.openDB<V, K>({ name });
  }

  /** Writes a batch in one transaction and waits until it is durable. */
  async commit(batch: CommitBatch): Promise<void> {
    try {
      await this.env.transaction(() => {
        for (const [id, rec] of batch.actors) {
          if (rec) void this.actors.put(id, rec);
          else void this.actors.remove(id);
        }
        for (const e of batch.events) void this.events.put(e.seq, e);
        for (const k of batch.deadlinesRemoved) void this.deadlines.remove([k[0], k[1]]);
        for (const k of batch.deadlinesAdded) void this.deadlines.put([k[0], k[1]], true);
        for (const [k, v] of batch.meta) void this.meta.put(k, v);
        for (const [source, offset] of batch.offsets ?? []) void this.offsets.put(source, offset);
        for (const d of batch.deadLetters ?? []) void this.deadLetters.put([d.at, d.source, d.offset ?? -1], d);
        for (const w of batch.writes ?? []) {
          if (w.value === null) void w.table.remove(w.key);
          else void w.table.put(w.key, w.value);
        }
        for (const [name, rule] of batch.rules ?? []) {
          if (rule) void this.rules.put(name, rule);
          else void this.rules.remove(name);
        }
      });
      await this.env.flushed;
    } catch (cause) {
      throw new StoreError('writing the batch to LMDB failed', cause);
    }
  }

  /** Alert events with a sequence number above `afterSeq`, oldest first. */
  readEvents(afterSeq: number, limit: number): AlertEvent[] {
    const out: AlertEvent[] = [];
    for (const { value } of this.events.getRange({ start: afterSeq + 1, limit })) out.push(value);
    return out;
  }

  /** The lowest sequence number still held, or undefined when the log is empty. */
  oldestEventSeq(): number | undefined {
    for (const key of this.events.getKeys({ limit: 1 })) return key;
    return undefined;
  }

  allDeadlines(): Array<[number, string]> {
    return [...this.deadlines.getKeys()].map((k) => [k[0], k[1]]);
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}
