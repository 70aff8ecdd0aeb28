/** `vigil serve`: run the server until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { ConfigError } from '../core/index.js';
import { createLogger } from '../telemetry/index.js';
import { RuleFileError, startServer } from './serve.js';

export interface ServeFlags {
  config?: string;
  dataDir?: string;
  listen?: string;
  metricsListen?: string;
  rulesDir?: string;
  allowInsecure?: boolean;
}

export function configFromFlags(o: ServeFlags): ReturnType<typeof loadConfig> {
  return loadConfig({
    ...(o.config ? { file: o.config } : {}),
    overrides: { dataDir: o.dataDir, 'grpc.listen': o.listen, 'metrics.listen': o.metricsListen, 'rules.dir': o.rulesDir, 'grpc.allowInsecure': o.allowInsecure },
  });
}

export function addServeFlags(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default config/default.yaml, or $VIGIL_CONFIG)')
    .option('--data-dir <dir>', 'LMDB data directory (default ./data)')
    .option('--listen <host:port>', 'gRPC address (default 127.0.0.1:50051; port 0 picks one)')
    .option('--metrics-listen <host:port>', 'Prometheus endpoint (default 127.0.0.1:9464; "" disables)')
    .option('--rules-dir <dir>', 'folder of .vigil files applied at start (default config/rules)')
    .option('--allow-insecure', 'serve a non-loopback address without TLS and tokens (logs a warning; = grpc.allowInsecure)');
}

/** Prints a start-up failure the way an operator can act on it, and exits. */
export function startupFailure(e: unknown): never {
  if (e instanceof RuleFileError || e instanceof ConfigError) process.stderr.write(`vigil: ${e.message}\n`);
  else process.stderr.write(`vigil: cannot start: ${(e as Error).message}\n`);
  process.exit(2);
}

export function registerServe(program: Command): void {
  addServeFlags(program.command('serve').description('run the Vigil server (embedded: no Kafka, LMDB in ./data)')).action(async (o: ServeFlags) => {
    const log = createLogger();
    let server;
    try {
      server = await startServer(configFromFlags(o), log);
    } catch (e) {
      startupFailure(e);
    }
    const stop = async (signal: string): Promise<void> => {
      log('info', 'shutting down', { signal });
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
