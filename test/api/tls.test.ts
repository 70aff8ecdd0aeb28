import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect } from '../../src/api/index.js';
import { makeTestPki, type TestPki } from './support/certs.js';
import { healthCheck } from './support/generic-clients.js';
import { startTlsServer, tokens, type TlsTestServer } from './support/server.js';

/** Every test dials 127.0.0.1, which the server certificate names in its SAN. */
async function refusal(p: Promise<unknown>): Promise<number> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as grpc.ServiceError | undefined;
  expect(err, 'the call should have failed').toBeDefined();
  return err!.code;
}

describe('TLS', () => {
  let s: TlsTestServer;
  let pki: TestPki;
  beforeAll(async () => {
    s = await startTlsServer({ tokens: true });
    pki = s.pki;
  });
  afterAll(() => s.stop());

  it('serves a client that trusts the CA, with a token', async () => {
    const c = connect(s.address, { tls: { ca: pki.pem.ca }, token: tokens.read });
    await expect(call(c.admin, 'getServerInfo', {})).resolves.toMatchObject({ lastSequence: 0 });
    c.close();
  });

  it('refuses a plaintext client', async () => {
    const c = connect(s.address, { token: tokens.read });
    expect(await refusal(call(c.admin, 'getServerInfo', {}, 5000))).toBe(grpc.status.UNAVAILABLE);
    c.close();
  });

  it('is refused by a client that does not trust the CA', async () => {
    const c = connect(s.address, { tls: { ca: pki.pem.otherCa }, token: tokens.read });
    expect(await refusal(call(c.admin, 'getServerInfo', {}, 5000))).toBe(grpc.status.UNAVAILABLE);
    c.close();
  });

  it('still asks for a token over TLS, and answers health checks without one', async () => {
    const c = connect(s.address, { tls: { ca: pki.pem.ca } });
    expect(await refusal(call(c.rules, 'listRules', {}))).toBe(grpc.status.UNAUTHENTICATED);
    c.close();
    await expect(healthCheck(s.address, grpc.credentials.createSsl(pki.pem.ca))).resolves.toBe('SERVING');
  });
});

describe('mutual TLS', () => {
  let s: TlsTestServer;
  let pki: TestPki;
  beforeAll(async () => {
    // No tokens: a verified client certificate is the authentication.
    s = await startTlsServer({ mutual: true });
    pki = s.pki;
  });
  afterAll(() => s.stop());

  it('serves a client with a certificate the CA signed', async () => {
    const c = connect(s.address, { tls: { ca: pki.pem.ca, cert: pki.pem.clientCert, key: pki.pem.clientKey } });
    await expect(call(c.rules, 'listRules', {})).resolves.toMatchObject({ rules: [] });
    c.close();
  });

  it('refuses a client without a certificate', async () => {
    const c = connect(s.address, { tls: { ca: pki.pem.ca } });
    expect(await refusal(call(c.rules, 'listRules', {}, 5000))).toBe(grpc.status.UNAVAILABLE);
    c.close();
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const other = makeTestPki();
    const c = connect(s.address, { tls: { ca: pki.pem.ca, cert: other.pem.clientCert, key: other.pem.clientKey } });
    expect(await refusal(call(c.rules, 'listRules', {}, 5000))).toBe(grpc.status.UNAVAILABLE);
    c.close();
    other.remove();
  });
});
