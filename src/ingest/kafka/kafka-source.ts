/**
 * The thin kafkajs adapter: the only file that talks to a broker. It creates
 * the consumer (group, topics, eachBatch without auto-resolve or
 * auto-commit), forwards group joins and batches to the BatchProcessor,
 * seeks on every join to the offsets stored with state, reports health from
 * the consumer's events, and re-creates the consumer with backoff when
 * kafkajs gives up on it.
 */
import { Kafka, type Admin, type Consumer, type EachBatchPayload, type KafkaConfig, type Producer } from 'kafkajs';
import type { BatchSink, DeadLetter, Source, SourceHealth } from '../source.js';
import { Backoff } from './backoff.js';
import { BatchProcessor, type FetchedBatch } from './batch-processor.js';
import { kafkaClientConfig, type LogFn } from './client-config.js';
import { resolveKafkaConfig, type KafkaSourceConfig, type ResolvedKafkaConfig } from './config.js';
import { HealthState, type KafkaState } from './health.js';
import { kafkaInstruments, observeKafkaGauges } from './metrics.js';
import { systemScheduler, type Scheduler } from './scheduler.js';

export interface KafkaSourceDeps {
  /** Structured log sink (Vigil's telemetry logger fits). @default silent */
  log?: LogFn;
  scheduler?: Scheduler;
  /** The engine's maxBatchPoints: engine batches never exceed it. @default 10000 */
  maxBatchPoints?: number;
  /** Builds the kafkajs client; tests of the adapter inject a fake. @default new Kafka(config) */
  createKafka?: (config: KafkaConfig) => Pick<Kafka, 'consumer' | 'producer' | 'admin'>;
  /** Reads TLS PEM files. @default fs.readFileSync */
  readFile?: (path: string) => Buffer;
}

/** What the source reports beyond SourceHealth, for `vigil` admin views. */
export interface KafkaSourceStatus extends SourceHealth {
  readonly state: KafkaState;
  readonly paused: boolean;
  readonly assigned: readonly string[];
  readonly inFlightPoints: number;
}

export class KafkaSource implements Source {
  readonly name = 'kafka';
  private readonly config: ResolvedKafkaConfig;
  private readonly log: LogFn;
  private readonly scheduler: Scheduler;
  private readonly kafka: Pick<Kafka, 'consumer' | 'producer' | 'admin'>;
  private readonly healthState = new HealthState();
  private readonly backoff: Backoff;
  private processor: BatchProcessor | undefined;
  private consumer: Consumer | undefined;
  private admin: Promise<Admin> | undefined;
  private producer: Promise<Producer> | undefined;
  private stopped = false;
  private cancelRelaunch: (() => void) | undefined;
  private cancelLagPoll: (() => void) | undefined;
  private stopGauges: (() => void) | undefined;
  private polling = false;

  constructor(config: KafkaSourceConfig, deps: KafkaSourceDeps = {}) {
    const resolved = resolveKafkaConfig(config);
    this.config = { ...resolved, maxPointsPerBatch: Math.min(resolved.maxPointsPerBatch, deps.maxBatchPoints ?? 10_000) };
    this.log = deps.log ?? (() => undefined);
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.backoff = new Backoff({ initialMs: this.config.reconnectInitialMs, maxMs: this.config.reconnectMaxMs });
    const clientConfig = kafkaClientConfig(this.config, this.log, deps.readFile);
    this.kafka = deps.createKafka ? deps.createKafka(clientConfig) : new Kafka(clientConfig);
  }

  /** Resolves after the first connection attempt, successful or not: a missing broker must not stop Vigil from serving its API. */
  async start(sink: BatchSink, offsetOf: (source: string) => number | undefined): Promise<void> {
    if (this.processor) throw new Error('the Kafka source is already started');
    const eventsTopics = new Set(this.config.eventsTopics);
    this.processor = new BatchProcessor(
      { ...this.config, heartbeatIntervalMs: this.config.heartbeatIntervalMs },
      {
        sink,
        offsetOf,
        consumer: {
          pause: (topics) => this.consumer?.pause(topics),
          resume: (topics) => this.consumer?.resume(topics),
          commitOffsets: async (offsets) => this.consumer?.commitOffsets(offsets),
        },
        kindOf: (topic) => (eventsTopics.has(topic) ? 'events' : 'points'),
        scheduler: this.scheduler,
        ...(this.config.deadLetterTopic !== undefined ? { onDeadLetters: (letters: readonly DeadLetter[]) => void this.publishDeadLetters(letters) } : {}),
        log: this.log,
      },
    );
    this.stopGauges = observeKafkaGauges(this.config.groupId, () => {
      const s = this.status();
      return { lag: s.lag ?? {}, paused: s.paused, healthy: s.healthy, inFlightPoints: s.inFlightPoints };
    });
    this.cancelLagPoll = this.scheduler.every(this.config.lagPollIntervalMs, () => void this.pollHeads());
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelRelaunch?.();
    this.cancelLagPoll?.();
    this.stopGauges?.();
    // disconnect() stops the runner, which waits for the batch in progress; the processor stops between engine batches.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.processor?.drain();
    await this.producer?.then((p) => p.disconnect()).catch(() => undefined);
    await this.admin?.then((a) => a.disconnect()).catch(() => undefined);
    this.processor?.assignment.clear();
    this.healthState.stopped();
  }

  health(): SourceHealth {
    const { healthy, reason, lag } = this.status();
    return { healthy, ...(reason !== undefined ? { reason } : {}), ...(lag !== undefined ? { lag } : {}) };
  }

  status(): KafkaSourceStatus {
    const p = this.processor;
    return {
      ...this.healthState.health(p?.lag.snapshot() ?? {}),
      state: this.healthState.state,
      paused: p?.flow.paused ?? false,
      assigned: p?.assignment.assigned().map(({ topic, partition }) => `kafka:${topic}/${partition}`) ?? [],
      inFlightPoints: p?.flow.inFlight.points ?? 0,
    };
  }

  private async launch(): Promise<void> {
    if (this.stopped) return;
    const processor = this.processor!;
    this.healthState.connecting();
    const c = this.config;
    const consumer = this.kafka.consumer({
      groupId: c.groupId,
      sessionTimeout: c.sessionTimeoutMs,
      rebalanceTimeout: c.rebalanceTimeoutMs,
      heartbeatInterval: c.heartbeatIntervalMs,
      maxBytesPerPartition: c.maxBytesPerPartition,
      maxWaitTimeInMs: c.maxWaitTimeMs,
      retry: { initialRetryTime: c.initialRetryTimeMs, maxRetryTime: c.maxRetryTimeMs, retries: c.retries },
    });
    this.consumer = consumer;
    const current = () => this.consumer === consumer && !this.stopped;
    const { GROUP_JOIN, REBALANCING, CONNECT, DISCONNECT, STOP, CRASH } = consumer.events;
    // Synchronous on purpose: kafkajs emits GROUP_JOIN before its first fetch, so the seeks apply to that fetch.
    consumer.on(GROUP_JOIN, ({ payload }) => {
      if (!current()) return;
      for (const seek of processor.join(payload.memberAssignment)) consumer.seek(seek);
      this.backoff.reset();
      this.healthState.joined();
    });
    consumer.on(REBALANCING, () => {
      processor.unsettle();
      this.healthState.rebalancing();
    });
    consumer.on(CONNECT, () => current() && this.healthState.connected());
    consumer.on(DISCONNECT, () => {
      processor.unsettle();
      if (current()) this.healthState.disconnected();
    });
    consumer.on(STOP, () => processor.unsettle());
    consumer.on(CRASH, ({ payload }) => {
      processor.unsettle();
      if (!current()) return;
      this.healthState.crashed(payload.error, true);
      this.log('error', 'kafka consumer crashed', { error: String(payload.error), kafkajsRestarts: payload.restart });
      // kafkajs restarts by itself after retriable errors; otherwise the consumer is done and we build a new one.
      if (!payload.restart) this.relaunch(consumer);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...c.pointsTopics, ...c.eventsTopics], fromBeginning: c.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: c.partitionsConsumedConcurrently,
        eachBatch: (payload) => processor.process(fetched(payload), payload),
      });
    } catch (error) {
      if (!current()) return;
      this.healthState.crashed(error, true);
      this.log('error', 'kafka consumer could not start', { error: String(error) });
      this.relaunch(consumer);
    }
  }

  private relaunch(old: Consumer): void {
    if (this.stopped || this.cancelRelaunch) return;
    const waitMs = this.backoff.next();
    kafkaInstruments.restarts.add(1, { group: this.config.groupId });
    this.log('warn', 'kafka consumer restarting', { inMs: waitMs, attempt: this.backoff.attempts });
    this.cancelRelaunch = this.scheduler.after(waitMs, () => {
      this.cancelRelaunch = undefined;
      void old
        .disconnect()
        .catch(() => undefined)
        .then(() => this.launch());
    });
  }

  /** Reads partition heads so lag shows for idle or paused partitions too. */
  private async pollHeads(): Promise<void> {
    const processor = this.processor;
    if (this.polling || this.stopped || !processor) return;
    const topics = processor.assignment.byTopic();
    if (topics.length === 0) return;
    this.polling = true;
    try {
      this.admin ??= connected(this.kafka.admin());
      const admin = await this.admin;
      for (const { topic } of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) processor.observeHead(topic, p.partition, Number(p.high));
      }
    } catch (error) {
      this.admin = undefined;
      this.log('debug', 'kafka lag poll failed', { error: String(error) });
    } finally {
      this.polling = false;
    }
  }

  /** Best effort: the dead-letter table in LMDB is the record; the topic is a copy for other tools. */
  private async publishDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const topic = this.config.deadLetterTopic;
    if (topic === undefined || this.stopped) return;
    try {
      this.producer ??= connected(this.kafka.producer({ allowAutoTopicCreation: false }));
      const producer = await this.producer;
      await producer.send({ topic, messages: letters.map((d) => ({ key: d.source, value: JSON.stringify(d) })) });
    } catch (error) {
      this.producer = undefined;
      this.log('warn', 'publishing dead letters to Kafka failed', { topic, count: letters.length, error: String(error) });
    }
  }
}

/** Connects once; a failed connection is dropped by the caller and retried on next use. */
async function connected<T extends { connect(): Promise<void>; disconnect(): Promise<void> }>(client: T): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw error;
  }
}

function fetched({ batch }: EachBatchPayload): FetchedBatch {
  return { topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark, messages: batch.messages };
}

/** The Kafka source behind the Source interface. */
export function createKafkaSource(config: KafkaSourceConfig, deps: KafkaSourceDeps = {}): KafkaSource {
  return new KafkaSource(config, deps);
}
