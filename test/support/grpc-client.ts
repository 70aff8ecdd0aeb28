/** Promise-shaped helpers over the real gRPC clients, for tests. */
import type * as grpc from '@grpc/grpc-js';
import { connect, type AlertEventMsg, type DataPointMsg, type IngestResponseMsg, type StreamAlertsRequestMsg, type VigilClients } from '../../src/api/index.js';

export { connect, type VigilClients };

export const T0 = Date.UTC(2026, 0, 1);

export function point(name: string, tags: Record<string, string>, value: number, tsMs: number): DataPointMsg {
  return { name, tags, value, tsMs };
}

/** A live StreamAlerts subscription that collects events and lets a test wait for a count. */
export class AlertCollector {
  readonly events: AlertEventMsg[] = [];
  private readonly stream: grpc.ClientReadableStream<AlertEventMsg>;
  private waiters: Array<() => void> = [];
  error?: grpc.ServiceError;

  /** `request` is the whole StreamAlertsRequest, filters included; it starts after sequence 0 unless told otherwise. */
  constructor(clients: VigilClients, request: Partial<StreamAlertsRequestMsg> = {}) {
    this.stream = (clients.alerts as unknown as { streamAlerts(r: object): grpc.ClientReadableStream<AlertEventMsg> }).streamAlerts({ afterSequence: 0, ...request });
    this.stream.on('data', (e: AlertEventMsg) => {
      this.events.push(e);
      this.wake();
    });
    this.stream.on('error', (e: grpc.ServiceError) => {
      this.error = e;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves once at least `n` events arrived (or the stream failed). */
  async waitFor(n: number): Promise<AlertEventMsg[]> {
    while (this.events.length < n && !this.error) await new Promise<void>((r) => this.waiters.push(r));
    if (this.events.length < n) throw this.error;
    return this.events;
  }

  cancel(): void {
    // Cancelling ends the call with CANCELLED; that is expected, not a failure.
    this.stream.on('error', () => undefined);
    this.stream.cancel();
  }
}

/** Opens a bidi Ingest stream; `send` resolves with that batch's acknowledgement. */
export function ingestStream(clients: VigilClients): { send(points: DataPointMsg[]): Promise<IngestResponseMsg>; end(): void } {
  const stream = (clients.ingest as unknown as { ingest(): grpc.ClientDuplexStream<object, IngestResponseMsg> }).ingest();
  const pending = new Map<number, (r: IngestResponseMsg) => void>();
  let failed: Error | undefined;
  const rejecters = new Map<number, (e: Error) => void>();
  stream.on('data', (r: IngestResponseMsg) => {
    pending.get(r.batchId)?.(r);
    pending.delete(r.batchId);
    rejecters.delete(r.batchId);
  });
  stream.on('error', (e: Error) => {
    failed = e;
    rejecters.forEach((rej) => rej(e));
  });
  let nextId = 1;
  return {
    send: (points) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        const batchId = nextId++;
        pending.set(batchId, resolve);
        rejecters.set(batchId, reject);
        stream.write({ batchId, points, events: [] });
      }),
    end: () => stream.end(),
  };
}
