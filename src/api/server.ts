/** Starts the gRPC server with every Vigil service, standard health checking and reflection. */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Delivery } from '../deliver/index.js';
import type { Engine } from '../engine.js';
import { adminService } from './admin-service.js';
import { alertService } from './alert-service.js';
import { deliveryAdmin } from './delivery-admin.js';
import type { Logger } from './handlers.js';
import { ingestService } from './ingest-service.js';
import { packageDefinition, vigilV1 } from './proto.js';
import { ruleService } from './rule-service.js';

export interface GrpcServerOptions {
  /** host:port to listen on; port 0 picks a free one. @default '127.0.0.1:50051' */
  listen: string;
  /** Shown by GetServerInfo. */
  dataDir?: string;
  /** The delivery stage, for the deliveries views of AdminService. */
  delivery?: Delivery;
  /** Largest request accepted, in bytes. @default 16 MiB */
  maxReceiveMessageBytes?: number;
}

export interface RunningGrpcServer {
  /** The address actually bound, with the real port. */
  readonly address: string;
  readonly health: HealthImplementation;
  close(): Promise<void>;
}

export async function startGrpcServer(engine: Engine, log: Logger, options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 16 * 1024 * 1024 });
  server.addService(vigilV1.RuleService.service, ruleService(engine, log));
  server.addService(vigilV1.AlertService.service, alertService(engine, log));
  server.addService(vigilV1.IngestService.service, ingestService(engine, log));
  server.addService(vigilV1.AdminService.service, { ...adminService(engine, log, options.dataDir ?? ''), ...deliveryAdmin(engine, options.delivery, log) });
  const health = new HealthImplementation({ '': 'SERVING', 'vigil.v1.IngestService': 'SERVING' });
  health.addToServer(server);
  new ReflectionService(packageDefinition).addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const host = options.listen.slice(0, options.listen.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    health,
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
