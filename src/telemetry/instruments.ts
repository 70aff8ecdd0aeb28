/**
 * Vigil's own metrics, recorded through the OpenTelemetry API. Without a
 * started SDK (tests, replay) they are no-ops, so stages can record freely.
 * docs/observability.md lists every metric with its Prometheus name.
 */
import { vigilMeter as meter } from './meter.js';

export const instruments = {
  // Ingest
  pointsIngested: meter.createCounter('vigil_points_ingested', { description: 'Data points accepted, per source' }),
  pointsRejected: meter.createCounter('vigil_points_rejected', { description: 'Data points rejected as invalid, per source' }),
  eventsIngested: meter.createCounter('vigil_events_ingested', { description: 'Events (lifecycle, logs, heartbeats) accepted, per source' }),
  pointsLate: meter.createCounter('vigil_points_late', { description: 'Points and events late for a rule (behind the watermark, or for a step the rule closed early), by rule and source; rule "" when no rule selects them' }),
  batchDuration: meter.createHistogram('vigil_ingest_batch_duration', { description: 'Wall time of one ingest batch from validation to durable commit, per source', unit: 'ms' }),
  // Evaluate
  evaluateDuration: meter.createHistogram('vigil_evaluate_duration', { description: 'Evaluation (routing, steps, machines) and correlation time of one ingest batch, per source', unit: 'ms' }),
  stepCloseLatency: meter.createHistogram('vigil_step_close_latency', {
    description: "Wall-clock time of a step's close minus the step's end in event time: how long after a step ended its result was final",
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] },
  }),
  alertTransitions: meter.createCounter('vigil_alert_transitions', { description: 'Alert instance transitions, by target state' }),
  // Store
  commitDuration: meter.createHistogram('vigil_commit_duration', { description: 'LMDB commit time of one batch, flush included', unit: 'ms' }),
  commitEntries: meter.createHistogram('vigil_commit_entries', {
    description: 'Records written by one LMDB commit (snapshots, alert events, deadlines, outbox and correlate records, offsets)',
    advice: { explicitBucketBoundaries: [1, 10, 100, 1000, 10_000, 100_000] },
  }),
  // Gauges read from the running engine and dispatcher (see gauges.ts)
  watermarkLag: meter.createObservableGauge('vigil_watermark_lag', { description: 'Wall clock minus the partition watermark: how far event time trails real time', unit: 'ms' }),
  sourceEventTimeLag: meter.createObservableGauge('vigil_source_event_time_lag', { description: "Wall clock minus the newest event time a source delivered, per source", unit: 'ms' }),
  sourceIdle: meter.createObservableGauge('vigil_source_last_batch_age', { description: 'Wall-clock time since a source last delivered a batch, per source', unit: 'ms' }),
  actorsResident: meter.createObservableGauge('vigil_actors_resident', { description: 'Alert instances held in memory' }),
  actorsPassivated: meter.createObservableCounter('vigil_actors_passivated', { description: 'Alert instances dropped from memory (passivated to LMDB) since start' }),
  outboxOldestAge: meter.createObservableGauge('vigil_outbox_oldest_age', { description: 'Age of the oldest delivery queued in the outbox, per receiver; 0 when none', unit: 'ms' }),
  outboxWaiting: meter.createObservableGauge('vigil_outbox_waiting', { description: 'Notifications waiting for their group to flush, per receiver' }),
  outboxFull: meter.createObservableGauge('vigil_outbox_full', { description: "1 while a receiver's share of the outbox is full (new firing notifications are archived as OUTBOX_FULL)" }),
  // Deliver (attempt outcomes and queue depth are the deliver stage's: vigil_delivery_outcomes, vigil_delivery_queued)
  deliveryInFlight: meter.createObservableGauge('vigil_delivery_in_flight', { description: 'Delivery attempts in flight, per receiver' }),
};

/**
 * Records one step close: `stepEndMs` in event time, `wallNowMs` the wall
 * clock the evaluator was handed for the batch (0 when it has none, e.g. a
 * benchmark, which records nothing).
 */
export function recordStepClose(stepEndMs: number, wallNowMs: number): void {
  if (wallNowMs > 0) instruments.stepCloseLatency.record(Math.max(0, wallNowMs - stepEndMs));
}
