/** gRPC clients for the CLI, the demo and tests. */
import * as grpc from '@grpc/grpc-js';
import { vigilV1 } from './proto.js';

export interface VigilClients {
  readonly rules: grpc.Client;
  readonly alerts: grpc.Client;
  readonly ingest: grpc.Client;
  readonly admin: grpc.Client;
  readonly clusters: grpc.Client;
  readonly silences: grpc.Client;
  readonly incidents: grpc.Client;
  close(): void;
}

/** PEM contents for the client side of TLS. */
export interface ClientTls {
  /** CA that signed the server's certificate; the system roots when absent. */
  readonly ca?: Buffer;
  /** Client certificate and key, for servers that require them (mTLS). */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Verify the server certificate for this name instead of the host dialled. */
  readonly serverName?: string;
}

export interface ConnectOptions {
  /** Sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Use TLS; plaintext when absent. */
  readonly tls?: ClientTls;
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

/**
 * Adds the token to every call's metadata. An interceptor rather than call
 * credentials, because grpc-js sends call credentials only over TLS and a
 * loopback server may check tokens without it.
 */
function tokenInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

export function connect(address: string, options: ConnectOptions = {}): VigilClients {
  const { tls, token } = options;
  const creds = tls ? grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : grpc.credentials.createInsecure();
  const clientOptions: grpc.ClientOptions = {
    ...(token ? { interceptors: [tokenInterceptor(token)] } : {}),
    ...(tls?.serverName ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName } : {}),
  };
  const rules = new vigilV1.RuleService(address, creds, clientOptions);
  const alerts = new vigilV1.AlertService(address, creds, clientOptions);
  const ingest = new vigilV1.IngestService(address, creds, clientOptions);
  const admin = new vigilV1.AdminService(address, creds, clientOptions);
  const clusters = new vigilV1.ClusterService(address, creds, clientOptions);
  const silences = new vigilV1.SilenceService(address, creds, clientOptions);
  const incidents = new vigilV1.IncidentService(address, creds, clientOptions);
  return {
    rules,
    alerts,
    ingest,
    admin,
    clusters,
    silences,
    incidents,
    close: () => {
      clusters.close();
      silences.close();
      incidents.close();
      admin.close();
      rules.close();
      alerts.close();
      ingest.close();
    },
  };
}
