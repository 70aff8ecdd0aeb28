import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/index.js';
import { kafkaClientConfig, kafkaLogCreator } from '../../../src/ingest/kafka/client-config.js';
import { resolveKafkaConfig } from '../../../src/ingest/kafka/index.js';

describe('kafkajs client options', () => {
  it('passes brokers, SASL and timeouts through', () => {
    const config = kafkaClientConfig(resolveKafkaConfig({ brokers: ['k:9092'], sasl: { mechanism: 'plain', username: 'u', password: 'p' }, requestTimeoutMs: 5000 }), () => undefined);
    expect(config).toMatchObject({ brokers: ['k:9092'], clientId: 'vigil', ssl: false, sasl: { mechanism: 'plain', username: 'u', password: 'p' }, requestTimeout: 5000 });
  });

  it('reads the TLS PEM files', () => {
    const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/k.pem': 'KEY' };
    const config = kafkaClientConfig(resolveKafkaConfig({ brokers: ['k:9093'], tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } }), () => undefined, (p) => Buffer.from(files[p]!));
    expect(config.ssl).toEqual({ ca: [Buffer.from('CA')], cert: Buffer.from('CERT'), key: Buffer.from('KEY'), rejectUnauthorized: true });
  });

  it('names the TLS file it cannot read', () => {
    const read = () => {
      throw new Error('ENOENT');
    };
    expect(() => kafkaClientConfig(resolveKafkaConfig({ brokers: ['k:9093'], tls: { caFile: '/missing.pem' } }), () => undefined, read)).toThrow(expect.objectContaining({ code: ErrorCodes.CONFIG_INVALID, message: expect.stringContaining('/missing.pem') }));
  });

  it('bridges kafkajs logs into the structured logger, info demoted to debug', () => {
    const lines: unknown[][] = [];
    const log = kafkaLogCreator((...args) => void lines.push(args))(4);
    log({ namespace: 'Consumer', level: 4, label: 'INFO', log: { timestamp: 'x', message: 'joined', groupId: 'g' } });
    log({ namespace: 'Runner', level: 1, label: 'ERROR', log: { timestamp: 'x', message: 'crash' } });
    expect(lines).toEqual([
      ['debug', 'kafkajs: joined', { namespace: 'Consumer', groupId: 'g' }],
      ['error', 'kafkajs: crash', { namespace: 'Runner' }],
    ]);
  });
});
