/**
 * The contract between an input source (gRPC ingest, Kafka, a replay file)
 * and the engine. A source hands over decoded but unvalidated batches; the
 * engine validates, evaluates and commits the batch's effects together with
 * `nextOffset` in one transaction, and only then resolves. A source
 * acknowledges upstream (e.g. commits a Kafka offset) only after that.
 */

/** An input that could not be used, kept in the dead-letter table with the reason. */
export interface DeadLetter {
  /** Source partition it came from, e.g. `kafka:vigil.points/3`. */
  readonly source: string;
  readonly offset?: number;
  /** Stable error code, e.g. POINT_INVALID, DECODE_FAILED, MESSAGE_TOO_LARGE. */
  readonly code: string;
  readonly reason: string;
  /** The payload (or its first bytes), as text or base64, for a human to inspect. */
  readonly payload: string;
  /** Wall-clock ms when it was rejected. */
  readonly at: number;
}

export interface SourceBatch {
  /** Stable name of the source partition; its offset is stored under this name. */
  readonly source: string;
  /** Decoded points, not yet validated. */
  readonly points: readonly unknown[];
  /** Offset each point came from (parallel to `points`), so rejections can be dead-lettered precisely. */
  readonly pointOffsets?: readonly number[];
  /** Decoded events (job start/finish, upgrades, heartbeats, log signatures), not yet validated. */
  readonly events?: readonly unknown[];
  /** Offset each event came from (parallel to `events`). */
  readonly eventOffsets?: readonly number[];
  /**
   * Offset of this batch's first input. A batch whose `nextOffset` is not
   * above the stored offset was already applied (a redelivery after a crash)
   * and is acknowledged as a duplicate without being applied again. Sources
   * must drop inputs below the stored offset themselves when a batch only
   * partly overlaps.
   */
  readonly firstOffset?: number;
  /** The offset to resume from once this batch is committed (the next one to read). */
  readonly nextOffset?: number;
  /** Messages the source could not decode at all. */
  readonly deadLetters?: readonly DeadLetter[];
  /** Write points that fail validation to the dead-letter table (Kafka) instead of only reporting them (gRPC). */
  readonly deadLetterRejected?: boolean;
}

export interface Rejection {
  /** Which list `index` points into. */
  readonly item: 'point' | 'event';
  readonly index: number;
  readonly field: string;
  readonly reason: string;
}

export interface BatchResult {
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  /** Accepted but older than the watermark: counted, not evaluated. */
  readonly late: number;
  /** The last alert sequence number committed when this batch was answered. */
  readonly lastSeq: number;
  /** True when the batch had already been applied and was skipped. */
  readonly duplicate?: boolean;
}

/** Hands a batch to the engine; resolves once its effects and offset are durable. */
export type BatchSink = (batch: SourceBatch) => Promise<BatchResult>;

export interface SourceHealth {
  readonly healthy: boolean;
  /** Why not, when unhealthy. */
  readonly reason?: string;
  /** Messages behind the head, per source partition, when known. */
  readonly lag?: Readonly<Record<string, number>>;
}

/** A long-running input. The engine's stored offsets (`offsetOf`) are the truth to resume from. */
export interface Source {
  readonly name: string;
  start(sink: BatchSink, offsetOf: (source: string) => number | undefined): Promise<void>;
  stop(): Promise<void>;
  health(): SourceHealth;
}
