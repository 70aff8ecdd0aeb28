/**
 * Builds kafkajs' client options from the source config: brokers, TLS
 * (reading the PEM files), SASL, timeouts, retry, and a log bridge into
 * Vigil's structured logger. Kept apart from the adapter so it is tested
 * without a broker.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { logLevel, type KafkaConfig, type LogEntry, type logCreator, type SASLOptions } from 'kafkajs';
import { ConfigError } from '../../core/index.js';
import type { KafkaSaslOptions, ResolvedKafkaConfig } from './config.js';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** kafkajs' numeric levels (its `logLevel` enum) to ours. */
function levelName(level: number): 'debug' | 'info' | 'warn' | 'error' {
  if (level <= 1) return 'error';
  if (level === 2) return 'warn';
  if (level === 4) return 'info';
  return 'debug';
}

/** kafkajs logs through Vigil's logger; info and debug chatter (joins, fetches) stays at debug. */
export function kafkaLogCreator(log: LogFn): logCreator {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _t, ...fields } = entry;
      const ours = levelName(level);
      log(ours === 'info' ? 'debug' : ours, `kafkajs: ${message}`, { namespace, ...fields });
    };
}

export function tlsOptions(config: ResolvedKafkaConfig, readFile: (path: string) => Buffer = readFileSync): boolean | ConnectionOptions {
  const { tls } = config;
  if (typeof tls === 'boolean') return tls;
  const read = (path: string, what: string) => {
    try {
      return readFile(path);
    } catch (e) {
      throw new ConfigError(`cannot read the Kafka TLS ${what} file ${path}: ${(e as Error).message}`);
    }
  };
  return {
    ...(tls.caFile !== undefined ? { ca: [read(tls.caFile, 'CA')] } : {}),
    ...(tls.certFile !== undefined ? { cert: read(tls.certFile, 'certificate') } : {}),
    ...(tls.keyFile !== undefined ? { key: read(tls.keyFile, 'key') } : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  };
}

function saslOptions({ mechanism, username, password }: KafkaSaslOptions): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

export function kafkaClientConfig(config: ResolvedKafkaConfig, log: LogFn, readFile?: (path: string) => Buffer): KafkaConfig {
  return {
    brokers: [...config.brokers],
    clientId: config.clientId,
    ssl: tlsOptions(config, readFile),
    ...(config.sasl ? { sasl: saslOptions(config.sasl) } : {}),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { initialRetryTime: config.initialRetryTimeMs, maxRetryTime: config.maxRetryTimeMs, retries: config.retries },
    // kafkajs' info lines arrive and are demoted to debug by the log bridge.
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(log),
  };
}
