/** Starts the gRPC server with every Vigil service, standard health checking and reflection. */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Delivery } from '../deliver/index.js';
import type { Engine } from '../engine.js';
import { adminService } from './admin-service.js';
import { alertService } from './alert-service.js';
import { clusterService, incidentService, silenceService } from './correlation-service.js';
import { Authenticator } from './auth.js';
import { deliveryAdmin } from './delivery-admin.js';
import { guardService } from './guard.js';
import type { Logger } from './handlers.js';
import { ingestService } from './ingest-service.js';
import { packageDefinition, vigilV1 } from './proto.js';
import { ruleService } from './rule-service.js';
import { checkBindPolicy, serverCredentials, type GrpcSecurity } from './transport.js';

export interface GrpcServerOptions {
  /** host:port to listen on; port 0 picks a free one. @default '127.0.0.1:50051' */
  listen: string;
  /** Shown by GetServerInfo. */
  dataDir?: string;
  /** The delivery stage, for the deliveries views of AdminService. */
  delivery?: Delivery;
  /** Largest request accepted, in bytes. @default 16 MiB */
  maxReceiveMessageBytes?: number;
  /** TLS, tokens, and leave to serve a non-loopback address without them. @default plaintext, no tokens */
  security?: GrpcSecurity;
  /** Most StreamAlerts calls open at once. @default 1000 */
  maxStreamSubscribers?: number;
  /** Live events buffered per StreamAlerts call before it is ended as too slow. @default 10000 */
  streamBufferEvents?: number;
}

export interface RunningGrpcServer {
  /** The address actually bound, with the real port. */
  readonly address: string;
  readonly health: HealthImplementation;
  /** StreamAlerts calls open right now. */
  alertSubscribers(): number;
  close(): Promise<void>;
}

export async function startGrpcServer(engine: Engine, log: Logger, options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const security = options.security ?? {};
  checkBindPolicy(options.listen, security, log);
  const auth = new Authenticator(security.tokens ?? []);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 16 * 1024 * 1024 });
  const alerts = alertService(engine, log, {
    ...(options.maxStreamSubscribers !== undefined ? { maxSubscribers: options.maxStreamSubscribers } : {}),
    ...(options.streamBufferEvents !== undefined ? { maxBufferedEvents: options.streamBufferEvents } : {}),
  });
  const services: Array<[grpc.ServiceDefinition, grpc.UntypedServiceImplementation]> = [
    [vigilV1.RuleService.service, ruleService(engine, log)],
    [vigilV1.AlertService.service, alerts.implementation],
    [vigilV1.IngestService.service, ingestService(engine, log)],
    [vigilV1.AdminService.service, { ...adminService(engine, log, options.dataDir ?? ''), ...deliveryAdmin(engine, options.delivery, log) }],
    [vigilV1.ClusterService.service, clusterService(engine, auth, log)],
    [vigilV1.SilenceService.service, silenceService(engine, auth, log)],
    [vigilV1.IncidentService.service, incidentService(engine, auth, log)],
  ];
  for (const [definition, impl] of services) server.addService(definition, guardService(definition, impl, auth, log));
  // Health and reflection stay open: load balancers and generic tools probe them without credentials,
  // and they reveal only liveness and the (public) API schema.
  const health = new HealthImplementation({ '': 'SERVING', 'vigil.v1.IngestService': 'SERVING' });
  health.addToServer(server);
  new ReflectionService(packageDefinition).addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen, serverCredentials(security.tls), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const host = options.listen.slice(0, options.listen.lastIndexOf(':'));
  log('info', 'grpc security', { tls: security.tls ? (security.tls.clientCa ? 'mutual' : 'server') : 'off', tokens: security.tokens?.length ?? 0 });
  return {
    address: `${host}:${port}`,
    health,
    alertSubscribers: alerts.subscribers,
    close: () =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        // Give in-flight calls a moment, then cut streams that would never end on their own.
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
