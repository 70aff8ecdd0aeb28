/**
 * Per-source event-time progress and the partition watermark: the minimum of
 * `maxTs − allowedLateness` over sources that are not idle, never moving back.
 * An idle source (nothing for `idleSourceMs` of wall-clock time) advances as
 * if its event time kept pace with the wall clock since its last batch
 * (docs/evaluation.md).
 */

export interface SourceProgress {
  /** Newest event time the source delivered. */
  maxTs: number;
  /** Wall-clock ms of its last batch (the injected clock). */
  lastBatchAt: number;
}

export interface WatermarkOptions {
  /** Allowed lateness of a source. */
  latenessMs(source: string): number;
  /** Wall-clock ms after which a silent source is idle; 0 = never. @default 0 */
  idleSourceMs?: number;
}

export class Watermarks {
  private readonly sources = new Map<string, SourceProgress>();
  private readonly lateness = new Map<string, number>();
  private now = 0;
  /** The source of the batch being evaluated, looked up once per batch. */
  private batch: SourceProgress | undefined;
  private batchLateness = 0;
  /** The partition watermark: items below it are late, steps and deadlines up to it are final. */
  current = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WatermarkOptions) {}

  restore(current: number, sources: Readonly<Record<string, SourceProgress>> | undefined): void {
    this.current = current;
    this.sources.clear();
    for (const [name, p] of Object.entries(sources ?? {})) this.sources.set(name, { ...p });
  }

  snapshot(): Record<string, SourceProgress> {
    return Object.fromEntries(this.sources);
  }

  /** A batch of `source` starts at wall-clock `now`. */
  beginBatch(source: string, now: number): void {
    this.now = now;
    let p = this.sources.get(source);
    if (p) p.lastBatchAt = now;
    else this.sources.set(source, (p = { maxTs: Number.NEGATIVE_INFINITY, lastBatchAt: now }));
    this.batch = p;
    this.batchLateness = this.latenessOf(source);
  }

  /** Records an item of the current batch's source at `ts`; returns the watermark it leads to (maybe unchanged). */
  observe(ts: number): number {
    const p = this.batch!;
    if (ts <= p.maxTs) return this.current;
    p.maxTs = ts;
    if (this.sources.size === 1) {
      const mark = ts - this.batchLateness;
      if (mark > this.current) this.current = mark;
      return this.current;
    }
    return this.compute();
  }

  /** The watermark as of wall-clock `now` with no new input (idle sources may move it). */
  tick(now: number): number {
    this.now = now;
    return this.compute();
  }

  latenessOf(source: string): number {
    let l = this.lateness.get(source);
    if (l === undefined) this.lateness.set(source, (l = this.options.latenessMs(source)));
    return l;
  }

  private compute(): number {
    const idleMs = this.options.idleSourceMs ?? 0;
    let min = Number.POSITIVE_INFINITY;
    for (const [name, p] of this.sources) {
      let mark = p.maxTs - this.latenessOf(name);
      // An idle source is assumed to keep pace with the wall clock from its last batch: safe for live data
      // (its event time follows the clock) and for backfills (a pause advances it by the pause, no further).
      const silentMs = this.now - p.lastBatchAt;
      if (idleMs > 0 && silentMs >= idleMs) mark = Math.max(mark, p.maxTs + silentMs - this.latenessOf(name));
      if (mark < min) min = mark;
    }
    if (min !== Number.POSITIVE_INFINITY && min > this.current) this.current = min;
    return this.current;
  }
}
