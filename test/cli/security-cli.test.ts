import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer, tokens, type TlsTestServer } from '../api/support/server.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli, startServe } from '../support/vigil-process.js';

describe('vigil against a server with TLS and tokens', () => {
  let s: TlsTestServer;
  let tls: string[];
  beforeAll(async () => {
    s = await startTlsServer({ tokens: true });
    tls = ['--server', s.address, '--tls-ca', s.pki.files.ca];
  });
  afterAll(() => s.stop());

  it('says to pass a token when the server requires one', async () => {
    const r = await runCli([...tls, 'rules', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('vigil: the server requires a token: pass --token or set VIGIL_TOKEN (UNAUTHENTICATED)');
  });

  it('works with --token, and names the role a refused command needs', async () => {
    const ok = await runCli([...tls, '--token', tokens.read, '--json', 'rules', 'ls']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const denied = await runCli([...tls, '--token', tokens.read, 'deadletter', 'ls']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('has role read; vigil.v1.AdminService/ListDeadLetters needs role admin (PERMISSION_DENIED): use a token with role admin or higher');
    const wrong = await runCli([...tls, '--token', 'not-the-right-token', 'rules', 'ls']);
    expect(wrong.stderr).toContain('the server did not accept the token');
  });

  it('hints at TLS when a plaintext client cannot talk to a TLS server', async () => {
    const r = await runCli(['--server', s.address, '--token', tokens.read, 'rules', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach Vigil at ${s.address}`);
    expect(r.stderr).toContain('If it serves TLS, pass --tls-ca');
  });

  it('says which flag names a file it cannot read', async () => {
    const r = await runCli(['--server', s.address, '--tls-ca', '/nonexistent/ca.pem', 'rules', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vigil: cannot read --tls-ca /nonexistent/ca.pem: ENOENT\n');
  });
});

describe('vigil against a server that requires client certificates', () => {
  let s: TlsTestServer;
  beforeAll(async () => {
    s = await startTlsServer({ mutual: true });
  });
  afterAll(() => s.stop());

  it('connects with the certificate from VIGIL_TLS_* and hints at --tls-cert without one', async () => {
    const { files } = s.pki;
    const env = { VIGIL_SERVER: s.address, VIGIL_TLS_CA: files.ca, VIGIL_TLS_CERT: files.clientCert, VIGIL_TLS_KEY: files.clientKey };
    const ok = await runCliWithEnv(env, ['--json', 'rules', 'ls']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const noCert = await runCliWithEnv({ VIGIL_SERVER: s.address, VIGIL_TLS_CA: files.ca }, ['rules', 'ls']);
    expect(noCert.code).toBe(1);
    expect(noCert.stderr).toContain('If it requires client certificates, pass --tls-cert and --tls-key');
  });
});

/** runCli inherits this process's environment; these tests set it for one run. */
async function runCliWithEnv(env: Record<string, string>, args: string[]): ReturnType<typeof runCli> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runCli(args);
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('vigil serve on a non-loopback address', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('refuses to serve 0.0.0.0 without TLS and authentication', async () => {
    const r = await runCli(['serve', '--listen', '0.0.0.0:0', '--metrics-listen', '', '--rules-dir', '', '--data-dir', `${dir.path}/a`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vigil: refusing to serve 0.0.0.0:0 without TLS');
    expect(r.stderr).toContain('--allow-insecure');
  });

  it('serves it with --allow-insecure and logs a warning', async () => {
    const server = await startServe(`${dir.path}/b`, ['--listen', '0.0.0.0:0', '--allow-insecure']);
    await server.kill();
    expect(server.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringContaining('without protection on a non-loopback address') }));
  });
});

describe('vigil token', () => {
  it('makes a token and the config entry that accepts it', async () => {
    const r = await runCli(['token', 'new', '--name', 'ci', '--role', 'write']);
    const token = /token \(give it to ci; it is not shown again\):\n {2}(\S+)\n/.exec(r.stdout)?.[1];
    expect(token).toBeDefined();
    const sha = createHash('sha256').update(token!).digest('hex');
    expect(r.stdout).toContain(`  - name: ci\n    role: write\n    sha256: ${sha}\n`);
    expect(r.stdout).toContain(`VIGIL_AUTH_TOKENS=ci:write:${sha}`);
    const hashed = await runCli(['token', 'hash', token!]);
    expect(hashed.stdout).toBe(`${sha}\n`);
  });
});
