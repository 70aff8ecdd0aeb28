/** What every client command shares: where the server is, how to authenticate to it, and how to fail. */
import { readFileSync } from 'node:fs';
import { connect, type ConnectOptions, type VigilClients } from '../api/index.js';
import { describeError, fail, type Connection } from './output.js';

export const defaultServer = '127.0.0.1:50051';

/** The global flags; each falls back to its environment variable. */
export interface ClientOptions {
  server?: string;
  json?: boolean;
  token?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServerName?: string;
}

/** Thrown when a client flag cannot be used (a certificate file that cannot be read, a key without a cert). */
export class ClientSetupError extends Error {}

export function serverAddress(opts: ClientOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.server ?? env.VIGIL_SERVER ?? defaultServer;
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ClientSetupError(`cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Flags over environment: --token/VIGIL_TOKEN, --tls/VIGIL_TLS, --tls-ca/VIGIL_TLS_CA, --tls-cert/VIGIL_TLS_CERT, --tls-key/VIGIL_TLS_KEY. */
export function connectOptions(opts: ClientOptions, env: NodeJS.ProcessEnv = process.env): ConnectOptions {
  const token = opts.token ?? env.VIGIL_TOKEN;
  const ca = opts.tlsCa ?? env.VIGIL_TLS_CA;
  const cert = opts.tlsCert ?? env.VIGIL_TLS_CERT;
  const key = opts.tlsKey ?? env.VIGIL_TLS_KEY;
  const serverName = opts.tlsServerName ?? env.VIGIL_TLS_SERVER_NAME;
  if (Boolean(cert) !== Boolean(key)) throw new ClientSetupError('a client certificate needs both --tls-cert and --tls-key (VIGIL_TLS_CERT, VIGIL_TLS_KEY)');
  const tls = opts.tls === true || /^(1|true)$/.test(env.VIGIL_TLS ?? '') || Boolean(ca || cert || serverName);
  return {
    ...(token ? { token } : {}),
    ...(tls
      ? {
          tls: {
            ...(ca ? { ca: readPem('--tls-ca', ca) } : {}),
            ...(cert && key ? { cert: readPem('--tls-cert', cert), key: readPem('--tls-key', key) } : {}),
            ...(serverName ? { serverName } : {}),
          },
        }
      : {}),
  };
}

/** Connects with the global flags; returns the clients and what the error messages need to know. */
export function openClients(opts: ClientOptions): { clients: VigilClients; connection: Connection } {
  const server = serverAddress(opts);
  const options = connectOptions(opts);
  return { clients: connect(server, options), connection: { server, token: options.token !== undefined, tls: options.tls !== undefined } };
}

/** Runs a client command; prints a clear message and sets a failing exit code on error. */
export async function withClients(opts: ClientOptions, fn: (c: VigilClients) => Promise<void>, file?: string): Promise<void> {
  let opened: ReturnType<typeof openClients>;
  try {
    opened = openClients(opts);
  } catch (e) {
    fail((e as Error).message);
    return;
  }
  try {
    await fn(opened.clients);
  } catch (e) {
    fail(describeError(e, opened.connection, file));
  } finally {
    opened.clients.close();
  }
}
