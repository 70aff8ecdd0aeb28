import { metrics } from '@opentelemetry/api';
import { metrics as sdkMetrics } from '@opentelemetry/sdk-node';
import { afterEach, describe, expect, it } from 'vitest';
import { instruments, observeDelivery, observeEngine, recordStepClose, useGlobalMeterProvider, vigilMeter } from '../../src/telemetry/index.js';
import { read, startInMemory, TestReader, type Started } from './support.js';

let t: Started | undefined;
afterEach(async () => {
  await t?.telemetry.shutdown();
  t = undefined;
});

// Made when this module loads, before any provider exists: as a stage's instruments are.
const early = vigilMeter.createCounter('test_early_counter');
const earlyGauge = vigilMeter.createObservableGauge('test_early_gauge');
earlyGauge.addCallback((r) => r.observe(42, { k: 'v' }));

describe('the Vigil meter', () => {
  it('records through instruments made before the SDK started (the API alone would keep them no-ops)', async () => {
    early.add(1); // before the provider: dropped, as a no-op
    t = await startInMemory();
    early.add(2, { source: 'grpc' });
    instruments.pointsIngested.add(5, { source: 'grpc' });
    expect(await read(t.reader, 'test_early_counter')).toMatchObject([{ value: 2, attributes: { source: 'grpc' } }]);
    expect(await read(t.reader, 'vigil_points_ingested')).toMatchObject([{ value: 5 }]);
    expect(await read(t.reader, 'test_early_gauge')).toMatchObject([{ value: 42, attributes: { k: 'v' } }]);
  });

  it('binds again after a shutdown and a new start, observables and batch callbacks included', async () => {
    t = await startInMemory();
    let reads = 0;
    const engine = {
      evaluatorState: () => {
        reads++;
        return { watermark: 1_000 };
      },
      residentCount: () => 1,
      passivatedCount: () => 0,
    };
    const stop = observeEngine(engine, () => 1_500);
    await t.telemetry.shutdown();
    t = await startInMemory();
    early.add(7);
    expect(await read(t.reader, 'test_early_counter')).toMatchObject([{ value: 7 }]);
    expect(await read(t.reader, 'test_early_gauge')).toMatchObject([{ value: 42 }]);
    expect(await read(t.reader, 'vigil_watermark_lag')).toMatchObject([{ value: 500 }]);
    stop();
    const before = reads;
    await read(t.reader, 'vigil_watermark_lag');
    expect(reads).toBe(before);
  });

  it('follows a provider a test registers itself', async () => {
    const reader = new TestReader();
    metrics.setGlobalMeterProvider(new sdkMetrics.MeterProvider({ readers: [reader] }));
    useGlobalMeterProvider();
    try {
      instruments.alertTransitions.add(1, { to: 'firing' });
      expect(await read(reader, 'vigil_alert_transitions')).toMatchObject([{ value: 1, attributes: { to: 'firing' } }]);
    } finally {
      metrics.disable();
      useGlobalMeterProvider();
    }
  });
});

describe('engine and delivery gauges', () => {
  it('report watermark and per-source lag, idle time and actor counts from the engine at collection', async () => {
    t = await startInMemory();
    let resident = 3;
    const engine = {
      evaluatorState: () => ({ watermark: 90_000, sources: { grpc: { maxTs: 95_000, lastBatchAt: 99_000 }, 'kafka:in/0': { maxTs: 80_000, lastBatchAt: 60_000 } } }),
      residentCount: () => resident,
      passivatedCount: () => 12,
    };
    const stop = observeEngine(engine, () => 100_000);
    expect(await read(t.reader, 'vigil_watermark_lag')).toMatchObject([{ value: 10_000 }]);
    expect(await read(t.reader, 'vigil_source_event_time_lag')).toMatchObject([
      { value: 5_000, attributes: { source: 'grpc' } },
      { value: 20_000, attributes: { source: 'kafka:in/0' } },
    ]);
    expect(await read(t.reader, 'vigil_source_last_batch_age')).toMatchObject([
      { value: 1_000, attributes: { source: 'grpc' } },
      { value: 40_000, attributes: { source: 'kafka:in/0' } },
    ]);
    resident = 4;
    expect(await read(t.reader, 'vigil_actors_resident')).toMatchObject([{ value: 4 }]);
    expect(await read(t.reader, 'vigil_actors_passivated')).toMatchObject([{ value: 12 }]);
    stop();
  });

  it('report no watermark lag before the first point (the watermark is -Infinity)', async () => {
    t = await startInMemory();
    const stop = observeEngine({ evaluatorState: () => ({ watermark: Number.NEGATIVE_INFINITY }), residentCount: () => 0, passivatedCount: () => 0 });
    expect(await read(t.reader, 'vigil_watermark_lag')).toEqual([]);
    stop();
  });

  it('report outbox age, waiting notifications, full receivers and attempts in flight per receiver', async () => {
    t = await startInMemory();
    const stop = observeDelivery({
      stats: () => [
        { receiver: 'slack', waiting: 2, inFlight: 1, oldestQueuedAgeMs: 30_000, outboxFullSince: 5 },
        { receiver: 'hook', waiting: 0, inFlight: 0, oldestQueuedAgeMs: 0 },
      ],
    });
    expect(await read(t.reader, 'vigil_outbox_oldest_age')).toMatchObject([
      { value: 30_000, attributes: { receiver: 'slack' } },
      { value: 0, attributes: { receiver: 'hook' } },
    ]);
    expect(await read(t.reader, 'vigil_outbox_full')).toMatchObject([{ value: 1 }, { value: 0 }]);
    expect(await read(t.reader, 'vigil_outbox_waiting')).toMatchObject([{ value: 2 }, { value: 0 }]);
    expect(await read(t.reader, 'vigil_delivery_in_flight')).toMatchObject([{ value: 1 }, { value: 0 }]);
    stop();
  });

  it('record step close latency as wall clock minus step end, and nothing without a wall clock', async () => {
    t = await startInMemory();
    recordStepClose(60_000, 61_250);
    recordStepClose(60_000, 0);
    expect(await read(t.reader, 'vigil_step_close_latency')).toMatchObject([{ value: { count: 1, sum: 1_250 } }]);
  });
});
