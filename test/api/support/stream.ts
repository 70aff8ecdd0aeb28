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

/**
 * Reads a stream to its end: every event, then the error it ended with, if any.
 * Decided by the call's status, not by 'end': the readable side can end before
 * a non-OK status arrives, and resolving on 'end' lost the error under load.
 */
export function drain(stream: grpc.ClientReadableStream<AlertEventMsg>): Promise<{ events: AlertEventMsg[]; error?: grpc.ServiceError }> {
  const events: AlertEventMsg[] = [];
  return new Promise((resolve) => {
    stream.on('data', (e: AlertEventMsg) => events.push(e));
    stream.on('error', (error: grpc.ServiceError) => resolve({ events, error }));
    stream.on('status', (status: grpc.StatusObject) => {
      if (status.code === 0) resolve({ events });
    });
  });
}
