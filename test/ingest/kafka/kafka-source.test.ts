/**
 * The kafkajs adapter against a fake kafkajs client: the calls it makes
 * (subscribe, run options, seek on join, commit after the sink) and its
 * reactions to consumer events (health, restart with backoff).
 */
import { describe, expect, it } from 'vitest';
import type { BatchResult, SourceBatch } from '../../../src/ingest/index.js';
import { createKafkaSource } from '../../../src/ingest/kafka/index.js';
import { ManualScheduler } from '../../../src/ingest/kafka/scheduler.js';
import { FakeBatchControl, cpu, record } from './support.js';

type Listener = (event: { payload: Record<string, unknown> }) => void;

const events = {
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
} as const;

class FakeConsumer {
  readonly events = events;
  readonly listeners = new Map<string, Listener[]>();
  readonly seeks: unknown[] = [];
  readonly commits: unknown[] = [];
  subscribed: unknown;
  runConfig: Record<string, unknown> | undefined;
  disconnected = false;
  failConnect: Error | undefined;
  constructor(readonly config: Record<string, unknown>) {}
  on(name: string, listener: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return () => undefined;
  }
  emit(name: string, payload: Record<string, unknown>) {
    for (const l of this.listeners.get(name) ?? []) l({ payload });
  }
  async connect() {
    if (this.failConnect) throw this.failConnect;
    this.emit(events.CONNECT, {});
  }
  async subscribe(s: unknown) {
    this.subscribed = s;
  }
  async run(config: Record<string, unknown>) {
    this.runConfig = config;
  }
  seek(s: unknown) {
    this.seeks.push(s);
  }
  async commitOffsets(o: unknown[]) {
    this.commits.push(...o);
  }
  pause() {}
  resume() {}
  async disconnect() {
    this.disconnected = true;
  }
  eachBatch(topic: string, partition: number, messages: ReturnType<typeof record>[], control = new FakeBatchControl()) {
    const handler = this.runConfig!.eachBatch as (p: unknown) => Promise<void>;
    const batch = { topic, partition, highWatermark: String(Number(messages.at(-1)!.offset) + 5), messages };
    return handler(Object.assign(control, { batch }));
  }
}

function setup() {
  const consumers: FakeConsumer[] = [];
  const scheduler = new ManualScheduler();
  const stored = new Map<string, number>([['kafka:vigil.points/1', 7]]);
  const sunk: SourceBatch[] = [];
  let nextConnectError: Error | undefined;
  const source = createKafkaSource(
    { brokers: ['k:9092'], reconnectInitialMs: 1000, lagPollIntervalMs: 60_000 },
    {
      scheduler,
      createKafka: () =>
        ({
          consumer: (config: Record<string, unknown>) => {
            const c = new FakeConsumer(config);
            c.failConnect = nextConnectError;
            nextConnectError = undefined;
            consumers.push(c);
            return c;
          },
          producer: () => {
            throw new Error('no producer in this test');
          },
          admin: () => {
            throw new Error('no admin in this test');
          },
        }) as never,
    },
  );
  const sink = async (b: SourceBatch): Promise<BatchResult> => {
    sunk.push(b);
    if (b.nextOffset !== undefined) stored.set(b.source, b.nextOffset);
    return { accepted: b.points.length, rejected: [], late: 0, lastSeq: 0 };
  };
  return { source, consumers, scheduler, stored, sunk, sink, failNextConnect: (e: Error) => (nextConnectError = e) };
}

describe('kafkajs adapter', () => {
  it('consumes with a group, manual resolve and commit, and seeks every assigned partition to its stored offset on join', async () => {
    const { source, consumers, stored, sink } = setup();
    await source.start(sink, (s) => stored.get(s));
    const [c] = consumers;
    expect(c!.config).toMatchObject({ groupId: 'vigil', sessionTimeout: 30_000, heartbeatInterval: 3000 });
    expect(c!.subscribed).toEqual({ topics: ['vigil.points', 'vigil.events'], fromBeginning: true });
    expect(c!.runConfig).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 4 });
    expect(source.health()).toMatchObject({ healthy: false });
    c!.emit(events.GROUP_JOIN, { memberAssignment: { 'vigil.points': [0, 1] } });
    expect(c!.seeks).toEqual([{ topic: 'vigil.points', partition: 1, offset: '7' }]);
    // Lag shows once the head of a partition is known (a fetched batch or the admin poll).
    expect(source.health()).toEqual({ healthy: true, lag: {} });
    await source.stop();
  });

  it('commits to Kafka only after the sink resolved, and reports lag from the batch head', async () => {
    const { source, consumers, stored, sink, sunk } = setup();
    await source.start(sink, (s) => stored.get(s));
    const c = consumers[0]!;
    c.emit(events.GROUP_JOIN, { memberAssignment: { 'vigil.points': [0] } });
    const control = new FakeBatchControl();
    await c.eachBatch('vigil.points', 0, [record(0, cpu('n1', 1, 0)), record(1, cpu('n1', 2, 1))], control);
    expect(sunk.map((b) => [b.source, b.nextOffset])).toEqual([['kafka:vigil.points/0', 2]]);
    expect(control.resolved).toEqual(['1']);
    expect(c.commits).toEqual([{ topic: 'vigil.points', partition: 0, offset: '2' }]);
    expect(source.health().lag).toEqual({ 'kafka:vigil.points/0': 4 });
    await source.stop();
    expect(c.disconnected).toBe(true);
    expect(source.health()).toMatchObject({ healthy: false, reason: 'stopped' });
  });

  it('reports a crash as unhealthy and builds a new consumer after a backoff when kafkajs gives up', async () => {
    const { source, consumers, scheduler, stored, sink } = setup();
    await source.start(sink, (s) => stored.get(s));
    consumers[0]!.emit(events.GROUP_JOIN, { memberAssignment: { 'vigil.points': [0] } });
    consumers[0]!.emit(events.CRASH, { error: new Error('broker lost'), restart: false });
    expect(source.health()).toMatchObject({ healthy: false, reason: expect.stringContaining('broker lost') });
    expect(consumers).toHaveLength(1);
    scheduler.advance(1000);
    await new Promise((r) => setImmediate(r));
    expect(consumers).toHaveLength(2);
    expect(consumers[0]!.disconnected).toBe(true);
    consumers[1]!.emit(events.GROUP_JOIN, { memberAssignment: { 'vigil.points': [1] } });
    expect(consumers[1]!.seeks).toEqual([{ topic: 'vigil.points', partition: 1, offset: '7' }]);
    expect(source.health().healthy).toBe(true);
    // Events of the replaced consumer no longer move the source.
    consumers[0]!.emit(events.DISCONNECT, {});
    expect(source.health().healthy).toBe(true);
    await source.stop();
  });

  it('keeps retrying with backoff when the broker is unreachable at start, without failing start()', async () => {
    const { source, consumers, scheduler, stored, sink, failNextConnect } = setup();
    failNextConnect(Object.assign(new Error('ECONNREFUSED'), { retriable: true }));
    await source.start(sink, (s) => stored.get(s));
    expect(source.health()).toMatchObject({ healthy: false, reason: expect.stringContaining('ECONNREFUSED') });
    scheduler.advance(1000);
    await new Promise((r) => setImmediate(r));
    expect(consumers).toHaveLength(2);
    expect(consumers[1]!.runConfig).toBeDefined();
    await source.stop();
  });

  it('lets kafkajs restart by itself after a retriable crash', async () => {
    const { source, consumers, scheduler, stored, sink } = setup();
    await source.start(sink, (s) => stored.get(s));
    consumers[0]!.emit(events.CRASH, { error: new Error('timeout'), restart: true });
    scheduler.advance(120_000);
    expect(consumers).toHaveLength(1);
    await source.stop();
  });
});
