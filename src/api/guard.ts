/** Puts the token check in front of every method of a service, whatever its call type. */
import type * as grpc from '@grpc/grpc-js';
import type { Authenticator } from './auth.js';
import type { Logger } from './handlers.js';
import { toServiceError } from './status.js';

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;
type AnyHandler = (call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => void;

/** The service's handlers, each refusing a call whose token is missing, unknown or lacks the method's role. */
export function guardService(definition: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation, auth: Authenticator, log: Logger): grpc.UntypedServiceImplementation {
  if (!auth.enabled) return impl;
  const guarded: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = (impl[method.originalName ?? name] ?? impl[name]) as AnyHandler | undefined;
    if (!handler) continue;
    const fullName = method.path.slice(1);
    const answersOnce = !method.responseStream;
    const wrapped: AnyHandler = (call, callback) => {
      try {
        auth.authorize(call.metadata, fullName);
      } catch (e) {
        const se = toServiceError(e);
        log('warn', 'call refused', { method: fullName, code: se.code, reason: se.details, peer: call.getPeer() });
        if (answersOnce) callback!(se);
        else (call as grpc.ServerWritableStream<unknown, unknown>).emit('error', se);
        return;
      }
      handler(call, callback);
    };
    guarded[name] = wrapped as grpc.UntypedHandleCall;
  }
  return guarded;
}
