/** StreamAlerts helpers that pass the whole request (filters included) and wait on events, not on time. */
import type * as grpc from '@grpc/grpc-js';
import type { AlertEventMsg, StreamAlertsRequestMsg, VigilClients } from '../../../src/api/index.js';

export function openStream(c: VigilClients, request: Partial<StreamAlertsRequestMsg> = {}): grpc.ClientReadableStream<AlertEventMsg> {
  return (c.alerts as unknown as { streamAlerts(r: object): grpc.ClientReadableStream<AlertEventMsg> }).streamAlerts({ afterSequence: 0, ...request });
}

/** Resolves once the server has accepted the stream (it sends headers at once). */
export function accepted(stream: grpc.ClientReadableStream<AlertEventMsg>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('metadata', () => resolve());
    stream.once('error', reject);
  });
}

/** Reads a stream to its end: every event, then the error it ended with, if any. */
export function drain(stream: grpc.ClientReadableStream<AlertEventMsg>): Promise<{ events: AlertEventMsg[]; error?: grpc.ServiceError }> {
  const events: AlertEventMsg[] = [];
  return new Promise((resolve) => {
    stream.on('data', (e: AlertEventMsg) => events.push(e));
    stream.on('error', (error: grpc.ServiceError) => resolve({ events, error }));
    stream.on('end', () => resolve({ events }));
  });
}

/** Collects a live stream's events; `waitFor(n)` resolves once n arrived. */
export class StreamCollector {
  readonly events: AlertEventMsg[] = [];
  private readonly stream: grpc.ClientReadableStream<AlertEventMsg>;
  private waiters: Array<() => void> = [];
  private error?: grpc.ServiceError;

  constructor(c: VigilClients, request: Partial<StreamAlertsRequestMsg> = {}) {
    this.stream = openStream(c, request);
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

  async waitFor(n: number): Promise<AlertEventMsg[]> {
    while (this.events.length < n && !this.error) await new Promise<void>((r) => this.waiters.push(r));
    if (this.events.length < n) throw this.error;
    return this.events;
  }

  cancel(): void {
    this.stream.on('error', () => undefined);
    this.stream.cancel();
  }
}
