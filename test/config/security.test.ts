import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/api/index.js';
import { loadConfig, serverSecurity, tokenRoles } from '../../src/config/index.js';
import { tempDir } from '../support/temp-dir.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('security config', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  it('is off by default: loopback, no TLS, no tokens', () => {
    const c = loadConfig({ env: {} });
    expect(c.grpc).toMatchObject({ listen: '127.0.0.1:50051', allowInsecure: false, auth: { tokens: [] } });
    expect(serverSecurity(c)).toEqual({ tokens: [], allowInsecure: false });
  });

  it('reads tokens from the file, hashing a plain token, and adds or replaces them from VIGIL_AUTH_TOKENS', () => {
    const path = file(
      'tokens.yaml',
      `grpc:\n  auth:\n    tokens:\n      - { name: ci, role: write, sha256: ${sha('ci-token').toUpperCase()} }\n      - { name: dev, role: admin, token: a-long-local-dev-token }\n`,
    );
    const c = loadConfig({ file: path, env: { VIGIL_AUTH_TOKENS: `ops:admin:${sha('ops')}, dev:read:${sha('dev2')}` } });
    expect(c.grpc.auth.tokens).toEqual([
      { name: 'ci', role: 'write', sha256: sha('ci-token') },
      { name: 'ops', role: 'admin', sha256: sha('ops') },
      { name: 'dev', role: 'read', sha256: sha('dev2') },
    ]);
  });

  it('names the entry and the problem for a bad token list', () => {
    const bad = (name: string, yaml: string): (() => unknown) => () => loadConfig({ file: file(name, `grpc:\n  auth:\n    tokens:\n${yaml}`), env: {} });
    expect(bad('r.yaml', `      - { name: ci, role: root, sha256: ${sha('x')} }\n`)).toThrow('grpc.auth.tokens[0]: role must be one of read, write, admin, got "root"');
    expect(bad('s.yaml', '      - { name: ci, role: read, sha256: abc }\n')).toThrow('grpc.auth.tokens[0]: sha256 must be 64 hex digits');
    expect(bad('b.yaml', `      - { name: ci, role: read, sha256: ${sha('x')}, token: also-a-token-here }\n`)).toThrow('give exactly one of sha256 (preferred) or token');
    expect(bad('k.yaml', `      - { name: ci, role: read, sha: ${sha('x')} }\n`)).toThrow('grpc.auth.tokens[0]: unknown key "sha"');
    expect(bad('d.yaml', `      - { name: ci, role: read, sha256: ${sha('x')} }\n      - { name: ci, role: admin, sha256: ${sha('y')} }\n`)).toThrow('token name "ci" appears twice');
    expect(() => loadConfig({ env: { VIGIL_AUTH_TOKENS: 'ci:write' } })).toThrow('VIGIL_AUTH_TOKENS entry 1: write name:role:sha256');
  });

  it('reads booleans and limits from the environment', () => {
    const c = loadConfig({ env: { VIGIL_GRPC_ALLOW_INSECURE: 'true', VIGIL_MAX_STREAM_SUBSCRIBERS: '5', VIGIL_STREAM_BUFFER_EVENTS: '7' } });
    expect(c.grpc.allowInsecure).toBe(true);
    expect(c.limits).toMatchObject({ maxStreamSubscribers: 5, streamBufferEvents: 7 });
    expect(() => loadConfig({ env: { VIGIL_GRPC_ALLOW_INSECURE: 'yes please' } })).toThrow('"grpc.allowInsecure" must be true or false');
  });

  it('loads the TLS files and refuses a half-configured TLS setup', () => {
    const cert = file('cert.pem', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const key = file('key.pem', '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n');
    const tls = (t: Record<string, string>): unknown => serverSecurity(loadConfig({ env: {}, overrides: Object.fromEntries(Object.entries(t).map(([k, v]) => [`grpc.tls.${k}`, v])) }));
    expect(tls({ certFile: cert, keyFile: key })).toMatchObject({ tls: { cert: Buffer.from(`-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n`) } });
    expect(tls({ certFile: cert, keyFile: key, clientCaFile: cert })).toMatchObject({ tls: { clientCa: expect.any(Buffer) } });
    expect(() => tls({ certFile: cert })).toThrow('grpc.tls: set both certFile and keyFile');
    expect(() => tls({ clientCaFile: cert })).toThrow('grpc.tls.clientCaFile needs grpc.tls.certFile and grpc.tls.keyFile');
    expect(() => tls({ certFile: join(dir.path, 'missing.pem'), keyFile: key })).toThrow(`grpc.tls.certFile: cannot read ${join(dir.path, 'missing.pem')}: ENOENT`);
    expect(() => tls({ certFile: file('not.pem', 'hello'), keyFile: key })).toThrow('is not a PEM file');
  });

  it('knows the same roles as the API', () => {
    expect([...tokenRoles]).toEqual([...roles]);
  });
});
