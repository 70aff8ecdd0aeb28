/** API: the gRPC services over the engine, the status mapping, and clients. */
export { startGrpcServer, type GrpcServerOptions, type RunningGrpcServer } from './server.js';
export { connect, call, type VigilClients } from './client.js';
export { toServiceError, decodeStatusDetails, type StatusDetails } from './status.js';
export { toAlertEventMsg } from './alert-service.js';
export type { Logger } from './handlers.js';
export type * from './messages.js';
