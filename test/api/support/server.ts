/** A real gRPC server with chosen security and limits on an ephemeral port, around a real engine on a temp dir. */
import { startGrpcServer, type GrpcServerOptions, type RunningGrpcServer, type TokenGrant } from '../../../src/api/index.js';
import { hashToken } from '../../../src/api/index.js';
import { ManualClock } from '../../../src/core/index.js';
import { Engine } from '../../../src/engine.js';
import { silentLogger, type Logger } from '../../../src/telemetry/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { makeTestPki, type TestPki } from './certs.js';

export interface ApiTestServer {
  readonly engine: Engine;
  readonly grpc: RunningGrpcServer;
  readonly address: string;
  stop(): Promise<void>;
}

/** One token per role; the token text is `<role>-token-for-tests`. */
export const tokens = { read: 'read-token-for-tests', write: 'write-token-for-tests', admin: 'admin-token-for-tests' } as const;

export const grants: TokenGrant[] = Object.entries(tokens).map(([role, token]) => ({ name: `${role}-user`, role: role as TokenGrant['role'], sha256: hashToken(token) }));

export async function startApiServer(options: Partial<GrpcServerOptions> = {}, log: Logger = silentLogger): Promise<ApiTestServer> {
  const dir = tempDir();
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  let grpc: RunningGrpcServer;
  try {
    grpc = await startGrpcServer(engine, log, { listen: '127.0.0.1:0', dataDir: dir.path, ...options });
  } catch (e) {
    await engine.close();
    dir.remove();
    throw e;
  }
  return {
    engine,
    grpc,
    address: grpc.address,
    stop: async () => {
      await grpc.close();
      await engine.close();
      dir.remove();
    },
  };
}

export interface TlsTestServer extends ApiTestServer {
  readonly pki: TestPki;
}

/** A server with its own throwaway CA: TLS, client certificates required when `mutual`, tokens when `tokens`. */
export async function startTlsServer(options: { mutual?: boolean; tokens?: boolean }): Promise<TlsTestServer> {
  const pki = makeTestPki();
  const tls = { cert: pki.pem.serverCert, key: pki.pem.serverKey, ...(options.mutual ? { clientCa: pki.pem.ca } : {}) };
  const s = await startApiServer({ security: { tls, ...(options.tokens ? { tokens: grants } : {}) } });
  return {
    ...s,
    pki,
    stop: async () => {
      await s.stop();
      pki.remove();
    },
  };
}
