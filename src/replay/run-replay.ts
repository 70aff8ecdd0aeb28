/**
 * Runs rules over recorded input on a private Engine, in event time and as
 * fast as the CPU allows, and reports each alert transition as it would have
 * happened live. The engine is the real one (same evaluator, correlation and
 * store) on a temporary data directory that is removed afterwards; its clock
 * follows the data and idle-source advancement stays off, so the same input
 * always gives the same transitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, ManualClock, type AlertEvent } from '../core/index.js';
import { Engine } from '../engine.js';
import type { ReplayItem } from './ndjson.js';

/**
 * The metric of the synthetic point that moves the watermark to `--until`
 * after the last input. No rule should select it (a rule that does would see
 * one point of value 0 at that time).
 */
export const UNTIL_METRIC = 'vigil_replay_until';

export interface ReplayOptions {
  /** Rule text, as in a `.vigil` file. Every rule must compile and be evaluable. */
  readonly rules: string;
  /** How far behind the newest event time an item may arrive and still count. @default 0 */
  readonly allowedLatenessMs?: number;
  /**
   * After the last item, advance the watermark to this event time (ms), so
   * steps ending by then close and deadlines due by then (`for`, `no data
   * for`, sequences) fire. @default no flush: what live evaluation had decided by the last item
   */
  readonly untilMs?: number;
  /** Like `untilMs`, but counted from the newest event time in the input. Ignored when `untilMs` is set. */
  readonly untilAfterLastMs?: number;
  /** Most items handed to the engine at once. @default 1000 */
  readonly batchItems?: number;
  /** Where the temporary data directory is made. @default os.tmpdir() */
  readonly tmpDir?: string;
}

export interface ReplaySummary {
  readonly points: number;
  readonly events: number;
  /** Items that arrived behind the watermark: counted, not evaluated (docs/evaluation.md). */
  readonly late: number;
  readonly transitions: number;
  /** Event time of the oldest and newest item (undefined without items). */
  readonly firstTs?: number;
  readonly lastTs?: number;
  /** Where the watermark ended, after the `until` flush. */
  readonly watermark: number;
}

/**
 * Replays `items` (in arrival order) through `options.rules`; calls
 * `onTransition` for each alert transition, in log order, as soon as the batch
 * that caused it is evaluated. Throws RuleError for rules that do not compile.
 */
export async function runReplay(items: AsyncIterable<ReplayItem> | Iterable<ReplayItem>, options: ReplayOptions, onTransition: (t: AlertEvent) => void): Promise<ReplaySummary> {
  const latenessMs = options.allowedLatenessMs ?? 0;
  if (!Number.isInteger(latenessMs) || latenessMs < 0) throw new ArgumentError('allowed_lateness_ms', 'must be a whole number of ms, 0 or more');
  const batchItems = options.batchItems ?? 1000;
  const dir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'vigil-replay-'));
  const clock = new ManualClock(0);
  const engine = Engine.open({ dataDir: dir, clock, allowedLatenessMs: latenessMs, maxBatchPoints: Math.max(batchItems, 1) });
  try {
    await engine.applyRules(options.rules);
    let seq = 0;
    let points = 0;
    let events = 0;
    let late = 0;
    let transitions = 0;
    let firstTs: number | undefined;
    let lastTs: number | undefined;
    let batch: ReplayItem[] = [];

    const drain = (): void => {
      for (;;) {
        const page = engine.readEvents(seq, 1000);
        if (page.length === 0) return;
        for (const e of page) onTransition(e);
        transitions += page.length;
        seq = page[page.length - 1]!.seq;
      }
    };
    const flush = async (clockTs = lastTs ?? 0): Promise<void> => {
      if (batch.length === 0) return;
      const ps = batch.flatMap((i) => (i.kind === 'point' ? [i.point] : []));
      const es = batch.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
      batch = [];
      clock.set(clockTs);
      const res = await engine.ingestBatch({ source: 'replay', points: ps, events: es });
      late += res.late;
      drain();
    };

    try {
      for await (const item of items) {
        const ts = item.kind === 'point' ? item.point.ts : item.event.ts;
        // An item that would be late when it arrives starts a batch of its own: within a batch the engine
        // takes items in event-time order, which would otherwise rescue it and make the result depend on
        // where batches happen to be cut. So late is exactly "behind the watermark when it arrived".
        if (batch.length >= batchItems || (lastTs !== undefined && ts < lastTs - latenessMs)) await flush();
        batch.push(item);
        if (item.kind === 'point') points++;
        else events++;
        firstTs = firstTs === undefined ? ts : Math.min(firstTs, ts);
        lastTs = lastTs === undefined ? ts : Math.max(lastTs, ts);
      }
    } finally {
      // Input that stops with an error (a bad line) still gets the transitions of every item before it.
      await flush();
    }

    const until = options.untilMs ?? (options.untilAfterLastMs !== undefined && lastTs !== undefined ? lastTs + options.untilAfterLastMs : undefined);
    if (until !== undefined && until + latenessMs > (lastTs ?? -Infinity)) {
      // The engine closes steps only as the watermark (newest time − lateness) passes them, so a point of a
      // metric no rule reads, at `until + lateness`, moves the watermark to `until` and changes nothing else.
      batch.push({ kind: 'point', point: { name: UNTIL_METRIC, tags: {}, value: 0, ts: until + latenessMs } });
      await flush(until);
    }
    return {
      points,
      events,
      late,
      transitions,
      ...(firstTs !== undefined ? { firstTs } : {}),
      ...(lastTs !== undefined ? { lastTs } : {}),
      watermark: engine.evaluatorState().watermark,
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
