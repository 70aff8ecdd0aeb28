/**
 * Gauges read from the running engine and delivery dispatcher at each
 * collection (a Prometheus scrape or an OTLP export), never on the hot path.
 * Both readers are structural, so telemetry depends on neither stage.
 */
import type { BatchObservableResult } from '@opentelemetry/api';
import { instruments } from './instruments.js';
import { vigilMeter } from './meter.js';

/** What `observeEngine` reads; `Engine` has it. */
export interface EngineReader {
  evaluatorState(): {
    readonly watermark: number;
    readonly sources?: Readonly<Record<string, { readonly maxTs: number; readonly lastBatchAt: number }>>;
  };
  residentCount(): number;
  passivatedCount(): number;
}

/** What `observeDelivery` reads, per receiver; `Delivery.stats()` returns it. */
export interface ReceiverReading {
  readonly receiver: string;
  readonly waiting: number;
  readonly inFlight: number;
  readonly oldestQueuedAgeMs: number;
  readonly outboxFullSince?: number;
}

/** Reports watermark and source lag and actor counts on every collection; returns the function that stops it. */
export function observeEngine(engine: EngineReader, now: () => number = Date.now): () => void {
  const { watermarkLag, sourceEventTimeLag, sourceIdle, actorsResident, actorsPassivated } = instruments;
  const observed = [watermarkLag, sourceEventTimeLag, sourceIdle, actorsResident, actorsPassivated];
  const callback = (result: BatchObservableResult): void => {
    const t = now();
    const state = engine.evaluatorState();
    // Before the first point the watermark is -Infinity: no lag to speak of yet.
    if (Number.isFinite(state.watermark)) result.observe(watermarkLag, t - state.watermark);
    for (const [source, p] of Object.entries(state.sources ?? {})) {
      if (Number.isFinite(p.maxTs)) result.observe(sourceEventTimeLag, t - p.maxTs, { source });
      if (p.lastBatchAt > 0) result.observe(sourceIdle, t - p.lastBatchAt, { source });
    }
    result.observe(actorsResident, engine.residentCount());
    result.observe(actorsPassivated, engine.passivatedCount());
  };
  vigilMeter.addBatchObservableCallback(callback, observed);
  return () => vigilMeter.removeBatchObservableCallback(callback, observed);
}

/** Reports outbox age, waiting notifications, full receivers and attempts in flight on every collection. */
export function observeDelivery(delivery: { stats(): readonly ReceiverReading[] }): () => void {
  const { outboxOldestAge, outboxWaiting, outboxFull, deliveryInFlight } = instruments;
  const observed = [outboxOldestAge, outboxWaiting, outboxFull, deliveryInFlight];
  const callback = (result: BatchObservableResult): void => {
    for (const r of delivery.stats()) {
      const attrs = { receiver: r.receiver };
      result.observe(outboxOldestAge, r.oldestQueuedAgeMs, attrs);
      result.observe(outboxWaiting, r.waiting, attrs);
      result.observe(outboxFull, r.outboxFullSince !== undefined ? 1 : 0, attrs);
      result.observe(deliveryInFlight, r.inFlight, attrs);
    }
  };
  vigilMeter.addBatchObservableCallback(callback, observed);
  return () => vigilMeter.removeBatchObservableCallback(callback, observed);
}
