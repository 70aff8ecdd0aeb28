/**
 * Vigil's own metrics, recorded through the OpenTelemetry API. Without a
 * started SDK (tests, replay) the API is a no-op, so stages can record freely.
 */
import { metrics } from '@opentelemetry/api';

const meter = metrics.getMeter('vigil');

export const instruments = {
  pointsIngested: meter.createCounter('vigil_points_ingested', { description: 'Data points accepted, per source' }),
  pointsRejected: meter.createCounter('vigil_points_rejected', { description: 'Data points rejected as invalid, per source' }),
  pointsLate: meter.createCounter('vigil_points_late', { description: 'Points and events late for a rule (behind the watermark, or for a step the rule closed early), by rule and source; rule "" when no rule selects them' }),
  alertTransitions: meter.createCounter('vigil_alert_transitions', { description: 'Alert instance transitions, by target state' }),
  commitDuration: meter.createHistogram('vigil_commit_duration', { description: 'LMDB commit time of one batch, flush included', unit: 'ms' }),
};
