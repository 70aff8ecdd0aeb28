/**
 * The Kafka source's logic driven through a real Engine (temp dir) with the
 * same interfaces kafkajs fills in: offsets and effects commit together,
 * redelivery after a seek or a restart changes nothing, poison is dead-lettered
 * while the partition goes on, and Kafka commits follow only owned partitions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, type AlertEvent } from '../../../src/core/index.js';
import { Engine } from '../../../src/engine.js';
import { BatchProcessor, type ProcessorOptions } from '../../../src/ingest/kafka/batch-processor.js';
import { ManualScheduler } from '../../../src/ingest/kafka/scheduler.js';
import { tempDir } from '../../support/temp-dir.js';
import { FakeBatchControl, FakeConsumerControl, T0, cpu, deferred, fetchedBatch, record } from './support.js';

const options: ProcessorOptions = {
  format: 'json',
  protobufMessage: 'batch',
  keyTag: 'cluster',
  maxMessageBytes: 1 << 20,
  maxPointsPerMessage: 1000,
  maxPointsPerBatch: 1000,
  deadLetterPayloadBytes: 64,
  heartbeatIntervalMs: 1000,
  maxInFlightPoints: 10_000,
  maxInFlightBatches: 8,
};
const brief = (events: AlertEvent[]) => events.map((e) => `${e.alert} ${e.from}->${e.to} @${(e.ts - T0) / 1000}s`);

describe('Kafka source logic on a real engine', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let consumer: FakeConsumerControl;
  let processor: BatchProcessor;

  const open = () => {
    engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(T0) });
    consumer = new FakeConsumerControl();
    processor = new BatchProcessor(options, {
      sink: (b) => engine.ingestBatch(b),
      offsetOf: (s) => engine.storedOffset(s),
      consumer,
      kindOf: () => 'points',
      scheduler: new ManualScheduler(T0),
    });
  };

  beforeEach(async () => {
    dir = tempDir();
    open();
    await engine.applyRules('rule hot { when cpu > 90 by (node) }');
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  it('commits a batch effects with its offset, then commits the offset to Kafka', async () => {
    processor.join({ points: [0] });
    await processor.process(fetchedBatch('points', 0, [record(0, cpu('n1', 95, 1)), record(1, cpu('n1', 10, 2))]), new FakeBatchControl());
    expect(engine.storedOffset('kafka:points/0')).toBe(2);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->firing @1s', 'alert/hot/node=n1 firing->resolved @2s']);
    expect(consumer.commits).toEqual([{ topic: 'points', partition: 0, offset: '2' }]);
  });

  it('changes nothing when the same messages are delivered again after a restart', async () => {
    processor.join({ points: [0] });
    const messages = [record(0, cpu('n1', 95, 1)), record(1, cpu('n1', 10, 2))];
    await processor.process(fetchedBatch('points', 0, messages), new FakeBatchControl());
    const before = engine.readEvents(0, 100);
    await engine.close();
    open();
    // On join the source seeks to the stored offset, yet Kafka may still hand over the old messages (and more).
    expect(processor.join({ points: [0] })).toEqual([{ topic: 'points', partition: 0, offset: '2' }]);
    const control = new FakeBatchControl();
    await processor.process(fetchedBatch('points', 0, messages), control);
    expect(control.resolved).toEqual(['1']);
    expect(engine.readEvents(0, 100)).toEqual(before);
    // A partly overlapping batch applies only the new message.
    await processor.process(fetchedBatch('points', 0, [...messages, record(2, cpu('n1', 99, 3))]), new FakeBatchControl());
    expect(brief(engine.readEvents(0, 100)).slice(2)).toEqual(['alert/hot/node=n1 resolved->firing @3s']);
    expect(engine.storedOffset('kafka:points/0')).toBe(3);
  });

  it('dead-letters poison and invalid points while the partition goes on', async () => {
    processor.join({ points: [0] });
    const batch = fetchedBatch('points', 0, [record(0, Buffer.from('{oops'), { raw: true }), record(1, { name: 'cpu', value: 'x', ts: T0 }), record(2, cpu('n1', 95, 1))]);
    await processor.process(batch, new FakeBatchControl());
    expect(engine.storedOffset('kafka:points/0')).toBe(3);
    expect(brief(engine.readEvents(0, 10))).toEqual(['alert/hot/node=n1 inactive->firing @1s']);
    const letters = [...engine.store.deadLetters.getRange()].map((e) => e.value);
    expect(letters.map((d) => [d.source, d.offset, d.code])).toEqual([
      ['kafka:points/0', 0, 'DECODE_FAILED'],
      ['kafka:points/0', 1, 'POINT_INVALID'],
    ]);
    expect(letters[0]!.payload).toBe('{oops');
  });

  it('hands events from an events topic to the engine and dead-letters an invalid one with its offset', async () => {
    const events = new BatchProcessor(options, { sink: (b) => engine.ingestBatch(b), offsetOf: (s) => engine.storedOffset(s), consumer, kindOf: () => 'events', scheduler: new ManualScheduler(T0) });
    events.join({ ev: [0] });
    const upgrade = { type: 'cluster.upgrade.start', tags: { cluster: 'c1' }, fields: {}, ts: T0 + 1000 };
    await events.process(fetchedBatch('ev', 0, [record(4, [upgrade, { type: 'bad type!', ts: T0 }])]), new FakeBatchControl());
    expect(engine.storedOffset('kafka:ev/0')).toBe(5);
    const letters = [...engine.store.deadLetters.getRange()].map((e) => e.value);
    expect(letters.map((d) => [d.source, d.offset, d.code])).toEqual([['kafka:ev/0', 4, 'POINT_INVALID']]);
  });

  it('stops mid-batch on a seek and lets the refetch continue from the stored offset', async () => {
    processor.join({ points: [0] });
    const small = new BatchProcessor({ ...options, maxPointsPerBatch: 1 }, { sink: (b) => engine.ingestBatch(b), offsetOf: (s) => engine.storedOffset(s), consumer, kindOf: () => 'points', scheduler: new ManualScheduler() });
    small.join({ points: [0] });
    const control = new FakeBatchControl();
    const messages = [record(0, cpu('n1', 95, 1)), record(1, cpu('n1', 10, 2)), record(2, cpu('n1', 95, 3))];
    const gate = deferred<void>();
    const originalHeartbeat = control.heartbeat.bind(control);
    control.heartbeat = async () => {
      await originalHeartbeat();
      control.stale = true; // a re-join sought the partition while the first engine batch committed
      gate.resolve();
    };
    await small.process(fetchedBatch('points', 0, messages), control);
    await gate.promise;
    expect(engine.storedOffset('kafka:points/0')).toBe(1);
    expect(control.resolved).toEqual(['0']);
    await small.process(fetchedBatch('points', 0, messages), new FakeBatchControl());
    expect(engine.storedOffset('kafka:points/0')).toBe(3);
    expect(brief(engine.readEvents(0, 10))).toHaveLength(3);
  });

  it('does not commit to Kafka a partition lost in a rebalance during the batch (kafkajs #1046)', async () => {
    processor.join({ points: [0, 1] });
    const held = deferred<void>();
    const slow = new BatchProcessor(options, {
      sink: async (b) => {
        await held.promise;
        return engine.ingestBatch(b);
      },
      offsetOf: (s) => engine.storedOffset(s),
      consumer,
      kindOf: () => 'points',
      scheduler: new ManualScheduler(),
    });
    slow.join({ points: [0, 1] });
    const running = slow.process(fetchedBatch('points', 0, [record(0, cpu('n1', 95, 1))]), new FakeBatchControl());
    slow.unsettle();
    slow.join({ points: [1] });
    held.resolve();
    await running;
    expect(engine.storedOffset('kafka:points/0')).toBe(1);
    expect(consumer.commits).toEqual([]);
  });

  it('pauses fetching while batches pile up in the engine and resumes when they are committed', async () => {
    const held = deferred<void>();
    const tight = new BatchProcessor(
      { ...options, maxInFlightBatches: 2 },
      {
        sink: async (b) => {
          await held.promise;
          return engine.ingestBatch(b);
        },
        offsetOf: (s) => engine.storedOffset(s),
        consumer,
        kindOf: () => 'points',
        scheduler: new ManualScheduler(),
      },
    );
    tight.join({ points: [0, 1] });
    const a = tight.process(fetchedBatch('points', 0, [record(0, cpu('n1', 95, 1))]), new FakeBatchControl());
    const b = tight.process(fetchedBatch('points', 1, [record(0, cpu('n2', 95, 1))]), new FakeBatchControl());
    await Promise.resolve();
    await Promise.resolve();
    expect(consumer.pauses).toEqual([[{ topic: 'points', partitions: [0, 1] }]]);
    expect(tight.flow.paused).toBe(true);
    held.resolve();
    await Promise.all([a, b]);
    expect(consumer.resumes).toEqual([[{ topic: 'points', partitions: [0, 1] }]]);
    expect(tight.lag.snapshot()).toEqual({ 'kafka:points/0': 0, 'kafka:points/1': 0 });
  });
});
