/** gRPC clients for the CLI, the demo and tests. */
import * as grpc from '@grpc/grpc-js';
import { vigilV1 } from './proto.js';

export interface VigilClients {
  readonly rules: grpc.Client;
  readonly alerts: grpc.Client;
  readonly ingest: grpc.Client;
  readonly admin: grpc.Client;
  close(): void;
}

/** Promisifies a unary method of a loaded client. */
export function call<Res>(client: grpc.Client, method: string, request: object, deadlineMs = 30_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (req: object, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
    if (!fn) {
      reject(new Error(`no method ${method}`));
      return;
    }
    fn.call(client, request, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export function connect(address: string): VigilClients {
  const creds = grpc.credentials.createInsecure();
  const rules = new vigilV1.RuleService(address, creds);
  const alerts = new vigilV1.AlertService(address, creds);
  const ingest = new vigilV1.IngestService(address, creds);
  const admin = new vigilV1.AdminService(address, creds);
  return {
    rules,
    alerts,
    ingest,
    admin,
    close: () => {
      admin.close();
      rules.close();
      alerts.close();
      ingest.close();
    },
  };
}
