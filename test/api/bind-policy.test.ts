import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/api/index.js';
import type { Logger } from '../../src/telemetry/index.js';
import { makeTestPki, type TestPki } from './support/certs.js';
import { grants, startApiServer } from './support/server.js';

describe('binding beyond loopback', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki.remove());

  it('knows which addresses only this machine can reach', () => {
    for (const a of ['127.0.0.1:50051', '127.8.0.1:1', 'localhost:50051', '[::1]:50051', 'unix:/tmp/vigil.sock']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['0.0.0.0:50051', '[::]:50051', ':50051', '10.0.0.5:50051', 'vigil.example.com:50051', '127.example.com:1']) expect(isLoopback(a), a).toBe(false);
  });

  it('refuses 0.0.0.0 without TLS and authentication, saying what is missing and how to override', async () => {
    const err = await startApiServer({ listen: '0.0.0.0:0' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((err as Error).message).toMatch(/refusing to serve 0\.0\.0\.0:0 without TLS .* and authentication .*grpc\.allowInsecure \(--allow-insecure\)/);
  });

  it('refuses TLS without authentication, and authentication without TLS', async () => {
    const tlsOnly = await startApiServer({ listen: '0.0.0.0:0', security: { tls: { cert: pki.pem.serverCert, key: pki.pem.serverKey } } }).catch((e: Error) => e);
    expect((tlsOnly as Error).message).toContain('without authentication');
    const tokensOnly = await startApiServer({ listen: '0.0.0.0:0', security: { tokens: grants } }).catch((e: Error) => e);
    expect((tokensOnly as Error).message).toContain('without TLS');
  });

  it('serves 0.0.0.0 with TLS and tokens, or with mutual TLS', async () => {
    const tls = { cert: pki.pem.serverCert, key: pki.pem.serverKey };
    const withTokens = await startApiServer({ listen: '0.0.0.0:0', security: { tls, tokens: grants } });
    await withTokens.stop();
    const mutual = await startApiServer({ listen: '0.0.0.0:0', security: { tls: { ...tls, clientCa: pki.pem.ca } } });
    await mutual.stop();
  });

  it('serves insecurely only when told to, with a warning', async () => {
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const log: Logger = (level, msg, fields) => lines.push([level, msg, fields]);
    const s = await startApiServer({ listen: '0.0.0.0:0', security: { allowInsecure: true } }, log);
    await s.stop();
    expect(lines).toContainEqual(['warn', expect.stringContaining('without protection on a non-loopback address'), expect.objectContaining({ listen: '0.0.0.0:0' })]);
  });
});
