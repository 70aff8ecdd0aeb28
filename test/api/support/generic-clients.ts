/** Clients for the standard services (health checking, reflection) that generic tools use. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

const require = createRequire(import.meta.url);
const reflectionProto = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');

type Ctor = grpc.ServiceClientConstructor;
const health = (grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as { grpc: { health: { v1: { Health: Ctor } } } }).grpc.health.v1.Health;
const reflection = (grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto)) as unknown as { grpc: { reflection: { v1: { ServerReflection: Ctor } } } }).grpc.reflection.v1
  .ServerReflection;

export function healthCheck(address: string, creds = grpc.credentials.createInsecure()): Promise<string> {
  const client = new health(address, creds);
  return new Promise((resolve, reject) => {
    (client as unknown as { check(r: object, cb: (e: Error | null, r: { status: string }) => void): void }).check({ service: '' }, (e, r) => {
      client.close();
      if (e) reject(e);
      else resolve(r.status);
    });
  });
}

/** The service names reflection lists. */
export function reflectServices(address: string, creds = grpc.credentials.createInsecure()): Promise<string[]> {
  const client = new reflection(address, creds);
  const stream = (client as unknown as { serverReflectionInfo(): grpc.ClientDuplexStream<object, { listServicesResponse?: { service: Array<{ name: string }> } }> }).serverReflectionInfo();
  return new Promise((resolve, reject) => {
    stream.on('data', (r) => {
      resolve((r.listServicesResponse?.service ?? []).map((svc: { name: string }) => svc.name));
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ listServices: '' });
  });
}
