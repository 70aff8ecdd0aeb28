/** Small adapters so every service method reports errors the same way. */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../telemetry/index.js';
import { toServiceError } from './status.js';

export type { Logger };

/** Wraps an async unary handler: its result is the response, anything thrown becomes a status. */
export function unary<Req, Res>(log: Logger, method: string, fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then(
        (res) => callback(null, res),
        (err: unknown) => {
          const se = toServiceError(err);
          if (se.code === 13) log('error', 'request failed', { method, error: String(err) });
          callback(se);
        },
      );
  };
}
