/** What every client command shares: the server address and how to fail. */
import { connect, type VigilClients } from '../api/index.js';
import { describeError } from './output.js';

export const defaultServer = '127.0.0.1:50051';

export interface ClientOptions {
  server?: string;
  json?: boolean;
}

export function serverAddress(opts: ClientOptions): string {
  return opts.server ?? process.env.VIGIL_SERVER ?? defaultServer;
}

/** Runs a client command; prints a clear message and sets a failing exit code on error. */
export async function withClients(opts: ClientOptions, fn: (c: VigilClients) => Promise<void>, file?: string): Promise<void> {
  const server = serverAddress(opts);
  const clients = connect(server);
  try {
    await fn(clients);
  } catch (e) {
    process.stderr.write(`vigil: ${describeError(e, server, file)}\n`);
    process.exitCode = 1;
  } finally {
    clients.close();
  }
}
