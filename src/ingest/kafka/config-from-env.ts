/**
 * Reads the Kafka source's options from environment variables. Returns
 * undefined when KAFKA_BROKERS is unset (Kafka off); a malformed value is a
 * ConfigError naming the variable, never a silent default.
 */
import { ConfigError } from '../../core/index.js';
import type { KafkaSaslOptions, KafkaSourceConfig, KafkaTlsOptions, ProtobufMessage, SaslMechanism, WireFormat } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Variables holding a number, and the option each sets. */
const numericVars = {
  KAFKA_SESSION_TIMEOUT_MS: 'sessionTimeoutMs',
  KAFKA_HEARTBEAT_INTERVAL_MS: 'heartbeatIntervalMs',
  KAFKA_MAX_MESSAGE_BYTES: 'maxMessageBytes',
  KAFKA_MAX_POINTS_PER_MESSAGE: 'maxPointsPerMessage',
  KAFKA_MAX_POINTS_PER_BATCH: 'maxPointsPerBatch',
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: 'partitionsConsumedConcurrently',
  KAFKA_MAX_IN_FLIGHT_POINTS: 'maxInFlightPoints',
  KAFKA_MAX_IN_FLIGHT_BATCHES: 'maxInFlightBatches',
} as const satisfies Record<string, keyof KafkaSourceConfig>;

/** Every variable read, with what it sets; docs/kafka.md shows the same table. */
export const kafkaEnvVars = {
  KAFKA_BROKERS: 'brokers, comma-separated host:port',
  KAFKA_CLIENT_ID: 'clientId',
  KAFKA_GROUP_ID: 'groupId',
  KAFKA_POINTS_TOPICS: 'pointsTopics, comma-separated',
  KAFKA_EVENTS_TOPICS: 'eventsTopics, comma-separated (set it empty to consume no events)',
  KAFKA_FORMAT: 'format: json | protobuf',
  KAFKA_PROTOBUF_MESSAGE: 'protobufMessage: batch | point',
  KAFKA_KEY_TAG: 'keyTag',
  KAFKA_FROM_BEGINNING: 'fromBeginning: true | false',
  KAFKA_SSL: 'tls on: true | false',
  KAFKA_SSL_CA_FILE: 'tls.caFile (implies KAFKA_SSL=true)',
  KAFKA_SSL_CERT_FILE: 'tls.certFile',
  KAFKA_SSL_KEY_FILE: 'tls.keyFile',
  KAFKA_SSL_REJECT_UNAUTHORIZED: 'tls.rejectUnauthorized: true | false',
  KAFKA_SASL_MECHANISM: 'sasl.mechanism: plain | scram-sha-256 | scram-sha-512',
  KAFKA_SASL_USERNAME: 'sasl.username',
  KAFKA_SASL_PASSWORD: 'sasl.password',
  KAFKA_DEAD_LETTER_TOPIC: 'deadLetterTopic',
  ...numericVars,
} as const;


function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function bool(env: Env, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function positiveInt(env: Env, name: string): number | undefined {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${v}"`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${env[name]}"`);
  return v as T;
}

function text(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function brokers(raw: string): string[] {
  const out = list(raw);
  if (out.length === 0) throw new ConfigError('KAFKA_BROKERS lists no broker');
  for (const b of out) {
    const port = Number(b.slice(b.lastIndexOf(':') + 1));
    if (!b.includes(':') || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new ConfigError(`KAFKA_BROKERS: "${b}" is not host:port`);
    }
  }
  return out;
}

function tls(env: Env): boolean | KafkaTlsOptions | undefined {
  const on = bool(env, 'KAFKA_SSL');
  const caFile = text(env, 'KAFKA_SSL_CA_FILE');
  const certFile = text(env, 'KAFKA_SSL_CERT_FILE');
  const keyFile = text(env, 'KAFKA_SSL_KEY_FILE');
  const rejectUnauthorized = bool(env, 'KAFKA_SSL_REJECT_UNAUTHORIZED');
  const detailed = caFile !== undefined || certFile !== undefined || keyFile !== undefined || rejectUnauthorized !== undefined;
  if (on === false) {
    if (detailed) throw new ConfigError('KAFKA_SSL=false contradicts the KAFKA_SSL_* files or options that are set');
    return false;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (mutual TLS)');
  if (!detailed) return on;
  return {
    ...(caFile !== undefined ? { caFile } : {}),
    ...(certFile !== undefined ? { certFile } : {}),
    ...(keyFile !== undefined ? { keyFile } : {}),
    ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
  };
}

function sasl(env: Env): KafkaSaslOptions | undefined {
  const mechanism = oneOf<SaslMechanism>(env, 'KAFKA_SASL_MECHANISM', ['plain', 'scram-sha-256', 'scram-sha-512']);
  const username = text(env, 'KAFKA_SASL_USERNAME');
  const password = env.KAFKA_SASL_PASSWORD;
  if (mechanism === undefined) {
    if (username !== undefined) throw new ConfigError('KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not');
    return undefined;
  }
  if (username === undefined || password === undefined || password === '') {
    throw new ConfigError(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  return { mechanism, username, password };
}

/** The Kafka source config from the environment, or undefined when KAFKA_BROKERS is unset or empty. */
export function kafkaConfigFromEnv(env: Env = process.env): KafkaSourceConfig | undefined {
  const rawBrokers = text(env, 'KAFKA_BROKERS');
  if (rawBrokers === undefined) return undefined;
  const config: Record<string, unknown> = { brokers: brokers(rawBrokers) };
  const set = (key: keyof KafkaSourceConfig, v: unknown) => {
    if (v !== undefined) config[key] = v;
  };
  set('clientId', text(env, 'KAFKA_CLIENT_ID'));
  set('groupId', text(env, 'KAFKA_GROUP_ID'));
  const points = text(env, 'KAFKA_POINTS_TOPICS');
  if (points !== undefined) {
    const topics = list(points);
    if (topics.length === 0) throw new ConfigError('KAFKA_POINTS_TOPICS lists no topic');
    config.pointsTopics = topics;
  }
  const events = env.KAFKA_EVENTS_TOPICS;
  if (events !== undefined) config.eventsTopics = list(events);
  set('format', oneOf<WireFormat>(env, 'KAFKA_FORMAT', ['json', 'protobuf']));
  set('protobufMessage', oneOf<ProtobufMessage>(env, 'KAFKA_PROTOBUF_MESSAGE', ['batch', 'point']));
  set('keyTag', text(env, 'KAFKA_KEY_TAG'));
  set('fromBeginning', bool(env, 'KAFKA_FROM_BEGINNING'));
  set('tls', tls(env));
  set('sasl', sasl(env));
  set('deadLetterTopic', text(env, 'KAFKA_DEAD_LETTER_TOPIC'));
  for (const [name, key] of Object.entries(numericVars)) set(key, positiveInt(env, name));
  const overlap = ((config.pointsTopics as string[] | undefined) ?? ['vigil.points']).filter((t) => ((config.eventsTopics as string[] | undefined) ?? ['vigil.events']).includes(t));
  if (overlap.length > 0) throw new ConfigError(`topic ${overlap[0]} is in both KAFKA_POINTS_TOPICS and KAFKA_EVENTS_TOPICS`);
  return config as unknown as KafkaSourceConfig;
}
