/**
 * Helpers of the Kafka integration suite: uniquely named topics (created and
 * deleted through the admin client), keyed producers, Vigil instances (an
 * Engine on a temp dir plus the Kafka source) in this process or as a child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { ManualClock } from '../../../src/core/index.js';
import { Engine } from '../../../src/engine.js';
import { createKafkaSource, type KafkaSource, type KafkaSourceConfig } from '../../../src/ingest/kafka/index.js';
import { repoRoot } from '../../support/vigil-process.js';

export const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter((b) => b !== '');
export const T0 = Date.UTC(2026, 0, 1);
export const rules = 'rule hot { when cpu > 90 by (node) }';

export function kafka(): Kafka {
  return new Kafka({ brokers, clientId: 'vigil-test', logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(admin: Admin, partitions: number): Promise<string> {
  const topic = uniqueName('vigil-test-points');
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  return topic;
}

export interface TestPoint {
  name: string;
  tags: Record<string, string>;
  value: number;
  ts: number;
}

/** A node's alert fires then resolves at one event time: reprocessing it would add transitions. */
export function flip(node: string, cluster: string, ts = T0): TestPoint[] {
  return [
    { name: 'cpu', tags: { cluster, node }, value: 95, ts },
    { name: 'cpu', tags: { cluster, node }, value: 10, ts },
  ];
}

/** Sends one JSON message per entry, keyed by cluster so a cluster stays on one partition. */
export async function produce(producer: Producer, topic: string, messages: Array<{ cluster: string; value: unknown; partition?: number; raw?: string }>): Promise<void> {
  await producer.send({
    topic,
    messages: messages.map((m) => ({
      key: m.cluster,
      value: m.raw ?? JSON.stringify(m.value),
      headers: { 'content-type': 'application/json' },
      ...(m.partition !== undefined ? { partition: m.partition } : {}),
    })),
  });
}

export interface Instance {
  readonly engine: Engine;
  readonly source: KafkaSource;
  stop(): Promise<void>;
}

export function sourceConfig(topic: string, groupId: string, extra: Partial<KafkaSourceConfig> = {}): KafkaSourceConfig {
  // Short session and fast retries so a dead instance's partitions move on within the test's patience.
  return { brokers, groupId, pointsTopics: [topic], eventsTopics: [], sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, lagPollIntervalMs: 1000, reconnectInitialMs: 200, ...extra };
}

/** One Vigil instance in this process: engine + Kafka source. */
export async function startInstance(dataDir: string, topic: string, groupId: string): Promise<Instance> {
  const engine = Engine.open({ dataDir, clock: new ManualClock(T0) });
  await engine.applyRules(rules);
  const source = createKafkaSource(sourceConfig(topic, groupId));
  await source.start(
    (b) => engine.ingestBatch(b),
    (s) => engine.storedOffset(s),
  );
  return {
    engine,
    source,
    stop: async () => {
      await source.stop();
      await engine.close();
    },
  };
}

/** Sum of the offsets stored with state over a topic's partitions: messages applied. */
export function appliedMessages(engine: Engine, topic: string, partitions: number): number {
  let sum = 0;
  for (let p = 0; p < partitions; p++) sum += engine.storedOffset(`kafka:${topic}/${p}`) ?? 0;
  return sum;
}

/** Polls a condition: the broker's pace is not ours to schedule. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Transitions per alert instance, e.g. { 'alert/hot/node=n1': ['firing', 'resolved'] }. */
export function transitions(engine: Engine): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of engine.readEvents(0, 1_000_000)) (out[e.alert] ??= []).push(e.to);
  return out;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Batches the worker saw committed so far. */
  committed(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A Vigil instance as a child process (worker.ts), so it can be SIGKILLed mid-batch. */
export function startWorker(dataDir: string, topic: string, groupId: string): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'kafka', 'support', 'worker.ts'), dataDir, topic, groupId], {
    cwd: repoRoot,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let committed = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.includes('"committed"')) committed++;
  });
  return {
    child,
    committed: () => committed,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
