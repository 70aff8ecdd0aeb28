/** Fakes of the kafkajs surface the Kafka source uses, so its logic runs without a broker. */
import type { BatchControl, ConsumerControl, FetchedBatch } from '../../../src/ingest/kafka/batch-processor.js';
import type { KafkaRecord } from '../../../src/ingest/kafka/batch-plan.js';

export const T0 = Date.UTC(2026, 0, 1);

export const cpu = (node: string, value: number, s: number, cluster = 'c1') => ({ name: 'cpu', tags: { cluster, node }, value, ts: T0 + s * 1000 });

export function record(offset: number, value: unknown, options: { key?: string; headers?: KafkaRecord['headers']; raw?: boolean } = {}): KafkaRecord {
  const bytes = value === null ? null : options.raw || Buffer.isBuffer(value) ? Buffer.from(value as Buffer) : Buffer.from(JSON.stringify(value));
  return { offset: String(offset), key: options.key === undefined ? null : Buffer.from(options.key), value: bytes, ...(options.headers ? { headers: options.headers } : {}) };
}

export function fetchedBatch(topic: string, partition: number, records: KafkaRecord[], highWatermark?: number): FetchedBatch {
  const last = records.length > 0 ? Number(records[records.length - 1]!.offset) + 1 : 0;
  return { topic, partition, highWatermark: String(highWatermark ?? last), messages: records };
}

/** The per-batch payload: records resolved offsets and heartbeats; `stale` simulates a seek after a join. */
export class FakeBatchControl implements BatchControl {
  resolved: string[] = [];
  heartbeats = 0;
  running = true;
  stale = false;
  heartbeatError: Error | undefined;
  resolveOffset(offset: string): void {
    this.resolved.push(offset);
  }
  async heartbeat(): Promise<void> {
    this.heartbeats++;
    if (this.heartbeatError) throw this.heartbeatError;
  }
  isRunning(): boolean {
    return this.running;
  }
  isStale(): boolean {
    return this.stale;
  }
}

export class FakeConsumerControl implements ConsumerControl {
  commits: Array<{ topic: string; partition: number; offset: string }> = [];
  pauses: Array<Array<{ topic: string; partitions: number[] }>> = [];
  resumes: Array<Array<{ topic: string; partitions: number[] }>> = [];
  pause(topics: Array<{ topic: string; partitions: number[] }>): void {
    this.pauses.push(topics);
  }
  resume(topics: Array<{ topic: string; partitions: number[] }>): void {
    this.resumes.push(topics);
  }
  async commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
    this.commits.push(...offsets);
  }
}

/** A promise with its resolve/reject exposed, to hold the engine mid-commit. */
export function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
