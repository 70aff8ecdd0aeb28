/**
 * OpenTelemetry instruments of the Kafka source. Without a started SDK the
 * API is a no-op, so tests record freely.
 */
import type { BatchObservableResult } from '@opentelemetry/api';
import { vigilMeter } from '../../telemetry/index.js';

const meter = vigilMeter;

export const kafkaInstruments = {
  messages: meter.createCounter('vigil_kafka_messages', { description: 'Kafka messages handed to the engine (dead letters included), per source partition' }),
  deadLetters: meter.createCounter('vigil_kafka_dead_letters', { description: 'Poison Kafka messages dead-lettered, by code' }),
  redelivered: meter.createCounter('vigil_kafka_redelivered', { description: 'Kafka messages skipped because their offset was already committed with state' }),
  commitsSkipped: meter.createCounter('vigil_kafka_commits_skipped', { description: 'Kafka offset commits not sent because the partition was no longer owned (kafkajs #1046)' }),
  restarts: meter.createCounter('vigil_kafka_consumer_restarts', { description: 'Consumer re-creations after a crash' }),
  lag: meter.createObservableGauge('vigil_kafka_consumer_lag', { description: 'Messages behind the partition head, per source partition' }),
  paused: meter.createObservableGauge('vigil_kafka_fetch_paused', { description: '1 while fetching is paused because the engine is behind' }),
  healthy: meter.createObservableGauge('vigil_kafka_source_healthy', { description: '1 while the Kafka source is connected and in its group' }),
  inFlightPoints: meter.createObservableGauge('vigil_kafka_in_flight_points', { description: 'Points handed to the engine and not yet committed' }),
};

export interface GaugeReadings {
  lag: Record<string, number>;
  paused: boolean;
  healthy: boolean;
  inFlightPoints: number;
}

/** Reports one source's gauges on every collection; returns the function that stops it. */
export function observeKafkaGauges(group: string, read: () => GaugeReadings): () => void {
  const { lag, paused, healthy, inFlightPoints } = kafkaInstruments;
  const callback = (result: BatchObservableResult) => {
    const r = read();
    for (const [source, value] of Object.entries(r.lag)) result.observe(lag, value, { source, group });
    result.observe(paused, r.paused ? 1 : 0, { group });
    result.observe(healthy, r.healthy ? 1 : 0, { group });
    result.observe(inFlightPoints, r.inFlightPoints, { group });
  };
  const observables = [lag, paused, healthy, inFlightPoints];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
