/** API: the gRPC services over the engine, their security (TLS, tokens, roles), the status mapping, and clients. */
export { startGrpcServer, type GrpcServerOptions, type RunningGrpcServer } from './server.js';
export { connect, call, type VigilClients, type ConnectOptions, type ClientTls } from './client.js';
export { toServiceError, decodeStatusDetails, type StatusDetails } from './status.js';
export { toAlertEventMsg } from './alert-stream.js';
export { roles, methodRoles, requiredRole, hashToken, type Role, type TokenGrant } from './auth.js';
export { checkBindPolicy, isLoopback, type GrpcSecurity, type ServerTls } from './transport.js';
export { UnauthenticatedError, PermissionDeniedError, SubscriberTooSlowError } from './errors.js';
export type { Logger } from './handlers.js';
export type * from './messages.js';
