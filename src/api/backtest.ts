/**
 * RuleService.Backtest: rule text and recorded points/events in, the alert
 * transitions they would have caused out, computed by the replay core on a
 * private engine. The live engine is never touched.
 */
import { ArgumentError, LimitError, type AlertEvent } from '../core/index.js';
import { validateEvent, validatePoint } from '../ingest/index.js';
import { runReplay, type ReplayItem } from '../replay/index.js';
import { toAlertEventMsg } from './alert-stream.js';
import type { AlertEventMsg, DataPointMsg, EventMsg } from './messages.js';

export interface BacktestRequestMsg {
  source: string;
  items: Array<{ item?: 'point' | 'event'; point?: DataPointMsg | null; event?: EventMsg | null }>;
  allowedLatenessMs: number;
  untilMs: number;
}

export interface BacktestResponseMsg {
  transitions: AlertEventMsg[];
  points: number;
  events: number;
  late: number;
  watermarkMs: number;
}

export interface BacktestLimits {
  /** Most points and events in one request. @default 100000 */
  readonly maxItems?: number;
  /** Back-tests running at once; each has its own engine and LMDB directory. @default 2 */
  readonly maxConcurrent?: number;
}

/** The request's items as replay input; an item that is not a valid point or event fails the call, naming it. */
export function backtestItems(items: BacktestRequestMsg['items']): ReplayItem[] {
  return items.map((it, i) => {
    if (it.point) {
      const c = validatePoint({ name: it.point.name, tags: it.point.tags, value: it.point.value, ts: it.point.tsMs });
      if (!c.ok) throw new ArgumentError(`items[${i}].point.${c.field === 'point' ? 'name' : c.field === 'ts' ? 'ts_ms' : c.field}`, c.reason);
      return { kind: 'point', point: c.point };
    }
    if (it.event) {
      const c = validateEvent({ type: it.event.type, tags: it.event.tags, fields: it.event.fields, ts: it.event.tsMs });
      if (!c.ok) throw new ArgumentError(`items[${i}].event.${c.field === 'event' ? 'type' : c.field === 'ts' ? 'ts_ms' : c.field}`, c.reason);
      return { kind: 'event', event: c.event };
    }
    throw new ArgumentError(`items[${i}]`, 'set point or event');
  });
}

/** The Backtest handler (the caller checks `source` as for ApplyRules); `maxConcurrent` bounds the CPU and disk it may take from the server. */
export function backtestHandler(limits: BacktestLimits = {}): (req: BacktestRequestMsg) => Promise<BacktestResponseMsg> {
  const maxItems = limits.maxItems ?? 100_000;
  const maxConcurrent = limits.maxConcurrent ?? 2;
  let running = 0;
  return async (req) => {
    if (req.items.length > maxItems) throw new LimitError('items in one Backtest', maxItems, req.items.length);
    if (req.untilMs < 0) throw new ArgumentError('until_ms', 'must be 0 (no flush) or a time in ms since the epoch');
    const items = backtestItems(req.items);
    if (running >= maxConcurrent) throw new LimitError('Backtest calls running at once', maxConcurrent, running + 1);
    running++;
    try {
      const transitions: AlertEvent[] = [];
      const summary = await runReplay(items, { rules: req.source, allowedLatenessMs: req.allowedLatenessMs, ...(req.untilMs > 0 ? { untilMs: req.untilMs } : {}) }, (e) => transitions.push(e));
      return {
        transitions: transitions.map(toAlertEventMsg),
        points: summary.points,
        events: summary.events,
        late: summary.late,
        watermarkMs: Number.isFinite(summary.watermark) ? summary.watermark : 0,
      };
    } finally {
      running--;
    }
  };
}
