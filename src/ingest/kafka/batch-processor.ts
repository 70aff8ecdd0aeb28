/**
 * Everything the Kafka source does with a fetched batch and a group join,
 * behind two small interfaces (`ConsumerControl`, `BatchControl`) so it runs
 * without a broker: the adapter passes kafkajs' consumer and eachBatch
 * payload; tests pass fakes.
 *
 * Order of a batch: skip what the engine already committed → hand each
 * engine batch to the sink (effects + offset in one flushed LMDB commit) →
 * resolve the offset in kafkajs → once the fetched batch is done, commit the
 * offset to Kafka, but only if this generation still owns the partition.
 */
import type { BatchResult, BatchSink, DeadLetter } from '../source.js';
import { AssignmentTracker, type MemberAssignment } from './assignment.js';
import { BackPressure, type FlowDecision } from './back-pressure.js';
import { planBatches, type KafkaRecord, type KafkaSourceBatch, type PlanOptions } from './batch-plan.js';
import { sourceName } from './config.js';
import { DeadLetterCodes } from './dead-letter-codes.js';
import type { MessageKind } from './decode-message.js';
import { withHeartbeats } from './heartbeat.js';
import { LagTracker } from './lag.js';
import { kafkaInstruments } from './metrics.js';
import type { Scheduler } from './scheduler.js';
import { SerialByKey } from './serial-by-key.js';

/** The consumer-wide operations the processor needs (kafkajs `Consumer`). */
export interface ConsumerControl {
  pause(topics: Array<{ topic: string; partitions: number[] }>): void;
  resume(topics: Array<{ topic: string; partitions: number[] }>): void;
  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void>;
}

/** The per-batch operations of a kafkajs `EachBatchPayload`. */
export interface BatchControl {
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  /** True once a seek targets this partition (a new join): stop, the data will be fetched again. */
  isStale(): boolean;
}

export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: readonly KafkaRecord[];
}

export interface SeekOrder {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface ProcessorOptions extends PlanOptions {
  /** Heartbeat at least this often while one engine commit is in progress. */
  heartbeatIntervalMs: number;
  maxInFlightPoints: number;
  maxInFlightBatches: number;
}

export interface ProcessorDeps {
  sink: BatchSink;
  offsetOf: (source: string) => number | undefined;
  consumer: ConsumerControl;
  /** Which kind of payload a topic carries. */
  kindOf: (topic: string) => MessageKind;
  scheduler: Scheduler;
  /** Best-effort copy of committed dead letters (the dead-letter topic). */
  onDeadLetters?: (letters: readonly DeadLetter[]) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class BatchProcessor {
  readonly assignment = new AssignmentTracker();
  readonly lag = new LagTracker();
  readonly flow: BackPressure;
  private readonly serial = new SerialByKey();

  constructor(
    private readonly options: ProcessorOptions,
    private readonly deps: ProcessorDeps,
  ) {
    this.flow = new BackPressure({ maxInFlightPoints: options.maxInFlightPoints, maxInFlightBatches: options.maxInFlightBatches });
  }

  /**
   * The consumer joined its group: returns where each assigned partition must
   * be sought (its stored offset). A partition with no stored offset keeps
   * kafkajs' position (the group's committed offset, else fromBeginning).
   */
  join(assignment: MemberAssignment): SeekOrder[] {
    const change = this.assignment.join(assignment);
    const seeks: SeekOrder[] = [];
    const sources = new Set<string>();
    for (const { topic, partition } of change.assigned) {
      const source = sourceName(topic, partition);
      sources.add(source);
      const stored = this.deps.offsetOf(source);
      if (stored === undefined) continue;
      this.lag.position(source, stored);
      seeks.push({ topic, partition, offset: String(stored) });
    }
    this.lag.retain(sources);
    // A paused source stays paused across a rebalance: the engine is still behind.
    if (this.flow.paused) this.applyFlow('pause');
    this.deps.log?.('info', 'kafka partitions assigned', { generation: change.generation, assigned: change.assigned.map((tp) => sourceName(tp.topic, tp.partition)), revoked: change.revoked.map((tp) => sourceName(tp.topic, tp.partition)) });
    return seeks;
  }

  /** The group is rebalancing or the consumer went away: no Kafka commit until the next join. */
  unsettle(): void {
    this.assignment.unsettle();
  }

  /** A fetched head, from a batch or an admin read. */
  observeHead(topic: string, partition: number, highWatermark: number): void {
    if (this.assignment.owns(topic, partition)) this.lag.head(sourceName(topic, partition), highWatermark);
  }

  /** The eachBatch handler. Throws (so kafkajs retries or re-joins) only when the engine or a heartbeat failed. */
  async process(batch: FetchedBatch, control: BatchControl): Promise<void> {
    const { topic, partition } = batch;
    const generation = this.assignment.generation;
    const source = sourceName(topic, partition);
    this.observeHead(topic, partition, Number(batch.highWatermark));
    const committed = await this.serial.run(source, () => this.apply(source, batch, control));
    if (committed !== undefined) await this.commitToKafka(topic, partition, committed, generation);
  }

  /** Resolves once no batch is being applied. */
  drain(): Promise<void> {
    return this.serial.drain();
  }

  /** Applies a fetched batch; returns the next offset committed with state, if any. */
  private async apply(source: string, batch: FetchedBatch, control: BatchControl): Promise<number | undefined> {
    if (!control.isRunning() || control.isStale() || batch.messages.length === 0) return undefined;
    const stored = this.deps.offsetOf(source);
    const plan = planBatches({ source, kind: this.deps.kindOf(batch.topic), records: batch.messages, storedOffset: stored, now: this.deps.scheduler.now(), options: this.options });
    if (plan.skipped > 0) kafkaInstruments.redelivered.add(plan.skipped, { source });
    if (plan.batches.length === 0) {
      // All already applied (a redelivery after a seek or a restart): move kafkajs past them.
      control.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      if (stored !== undefined) this.lag.position(source, stored);
      return undefined;
    }
    let committed: number | undefined;
    for (const b of plan.batches) {
      if (!control.isRunning() || control.isStale()) break;
      const { value: result, heartbeatError } = await this.submit(b, control);
      control.resolveOffset(b.lastOffset);
      this.lag.position(source, b.nextOffset);
      committed = b.nextOffset;
      this.count(b, result);
      if (heartbeatError) throw heartbeatError.error;
      await control.heartbeat();
    }
    return committed;
  }

  private async submit(b: KafkaSourceBatch, control: BatchControl) {
    const weight = b.points.length + (b.events?.length ?? 0);
    this.applyFlow(this.flow.admit(weight));
    try {
      return await withHeartbeats(this.deps.sink(b), () => control.heartbeat(), this.options.heartbeatIntervalMs, this.deps.scheduler);
    } finally {
      this.applyFlow(this.flow.release(weight));
    }
  }

  private count(b: KafkaSourceBatch, result: BatchResult): void {
    kafkaInstruments.messages.add(b.nextOffset - b.firstOffset, { source: b.source });
    if (result.duplicate) return;
    const letters: DeadLetter[] = [...(b.deadLetters ?? [])];
    for (const d of letters) kafkaInstruments.deadLetters.add(1, { code: d.code });
    if (result.rejected.length > 0) kafkaInstruments.deadLetters.add(result.rejected.length, { code: DeadLetterCodes.POINT_INVALID });
    if (!this.deps.onDeadLetters) return;
    for (const r of result.rejected) {
      const offset = r.item === 'event' ? b.eventOffsets?.[r.index] : b.pointOffsets?.[r.index];
      const raw = r.item === 'event' ? b.events?.[r.index] : b.points[r.index];
      const payload = (JSON.stringify(raw) ?? '').slice(0, this.options.deadLetterPayloadBytes);
      letters.push({ source: b.source, ...(offset !== undefined ? { offset } : {}), code: DeadLetterCodes.POINT_INVALID, reason: `${r.item} ${r.field}: ${r.reason}`, payload, at: this.deps.scheduler.now() });
    }
    if (letters.length > 0) this.deps.onDeadLetters(letters);
  }

  private async commitToKafka(topic: string, partition: number, nextOffset: number, generation: number): Promise<void> {
    if (!this.assignment.mayCommit(topic, partition, generation)) {
      kafkaInstruments.commitsSkipped.add(1, { source: sourceName(topic, partition) });
      return;
    }
    try {
      await this.deps.consumer.commitOffsets([{ topic, partition, offset: String(nextOffset) }]);
    } catch (error) {
      // The Kafka offset is advisory (LMDB holds the truth); a failed commit is retried by the next batch.
      this.deps.log?.('warn', 'kafka offset commit failed', { source: sourceName(topic, partition), error: String(error) });
    }
  }

  private applyFlow(decision: FlowDecision): void {
    if (decision === undefined) return;
    const topics = this.assignment.byTopic();
    if (topics.length === 0) return;
    if (decision === 'pause') this.deps.consumer.pause(topics);
    else this.deps.consumer.resume(topics);
    this.deps.log?.('info', decision === 'pause' ? 'kafka fetching paused: the engine is behind' : 'kafka fetching resumed', this.flow.inFlight);
  }
}
