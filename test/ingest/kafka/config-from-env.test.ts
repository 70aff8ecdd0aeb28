import { describe, expect, it } from 'vitest';
import { ErrorCodes, type VigilError } from '../../../src/core/index.js';
import { kafkaConfigFromEnv, resolveKafkaConfig } from '../../../src/ingest/kafka/index.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as VigilError).code;
  }
  return undefined;
};

describe('kafka config from the environment', () => {
  it('is off when KAFKA_BROKERS is unset or blank', () => {
    expect(kafkaConfigFromEnv({})).toBeUndefined();
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '  ' })).toBeUndefined();
  });

  it('reads brokers, group, topics, format and numeric limits', () => {
    const config = kafkaConfigFromEnv({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_GROUP_ID: 'vigil-prod',
      KAFKA_CLIENT_ID: 'vigil-1',
      KAFKA_POINTS_TOPICS: 'points.a,points.b',
      KAFKA_EVENTS_TOPICS: 'events',
      KAFKA_FORMAT: 'protobuf',
      KAFKA_PROTOBUF_MESSAGE: 'point',
      KAFKA_MAX_POINTS_PER_BATCH: '5000',
      KAFKA_FROM_BEGINNING: 'false',
    });
    expect(config).toEqual({
      brokers: ['k1:9092', 'k2:9093'],
      groupId: 'vigil-prod',
      clientId: 'vigil-1',
      pointsTopics: ['points.a', 'points.b'],
      eventsTopics: ['events'],
      format: 'protobuf',
      protobufMessage: 'point',
      maxPointsPerBatch: 5000,
      fromBeginning: false,
    });
  });

  it('fills every default when resolved', () => {
    const resolved = resolveKafkaConfig(kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:9092' })!);
    expect(resolved).toMatchObject({ groupId: 'vigil', clientId: 'vigil', pointsTopics: ['vigil.points'], eventsTopics: ['vigil.events'], format: 'json', tls: false, maxPointsPerBatch: 10_000 });
  });

  it('reads TLS files and SASL credentials', () => {
    const config = kafkaConfigFromEnv({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_SSL_CA_FILE: '/etc/ca.pem',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'vigil',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(config?.tls).toEqual({ caFile: '/etc/ca.pem' });
    expect(config?.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'vigil', password: 's3cret' });
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'true' })?.tls).toBe(true);
  });

  it('rejects malformed values naming the variable', () => {
    const cases: Array<Record<string, string>> = [
      { KAFKA_BROKERS: 'no-port' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_FORMAT: 'avro' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_MAX_POINTS_PER_BATCH: '-1' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SESSION_TIMEOUT_MS: '30s' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SSL: 'maybe' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '/ca.pem' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SSL_CERT_FILE: '/c.pem' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_SASL_USERNAME: 'u' },
      { KAFKA_BROKERS: 'k:9092', KAFKA_POINTS_TOPICS: 'x', KAFKA_EVENTS_TOPICS: 'x' },
    ];
    for (const env of cases) expect(codeOf(() => kafkaConfigFromEnv(env)), JSON.stringify(env)).toBe(ErrorCodes.CONFIG_INVALID);
  });
});
