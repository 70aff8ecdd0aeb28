import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/api/index.js';
import { point, T0 } from '../support/grpc-client.js';
import { startTestServer, type TestServer } from '../support/in-process-server.js';
import { runCli } from '../support/vigil-process.js';

describe('vigil actors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await call(s.clients.rules, 'applyRules', { source: 'rule hot { when cpu > 90 by (node) for 1m }' });
    await call(s.clients.ingest, 'ingestBatch', { batchId: 1, points: [point('cpu', { node: 'n1' }, 95, T0), point('cpu', { node: 'n1' }, 97, T0 + 61_000)] });
  });
  afterAll(() => s.stop());

  it('lists actors as a table', async () => {
    const r = await runCli(['--server', s.grpc.address, 'actors', 'ls']);
    expect(r.stdout.split('\n')).toEqual([
      'ID                 KIND   STATE   SINCE',
      'alert/hot/node=n1  alert  firing  2026-01-01T00:01:00.000Z',
      expect.stringMatching(/^rule\/hot\s+rule\s+active\s+\S+$/),
      '',
    ]);
  });

  it('explains why an alert fires', async () => {
    const r = await runCli(['--server', s.grpc.address, 'actors', 'inspect', 'alert/hot/node=n1']);
    expect(r.stdout).toContain('state:     firing');
    expect(r.stdout).toContain('2026-01-01T00:00:00.000Z  inactive → pending  because cpu > 90 is true (value 95)');
    expect(r.stdout).toContain('2026-01-01T00:01:00.000Z  pending → firing  because held for 60000 ms');
  });

  it('prints JSON for scripts and a clear error for an unknown actor', async () => {
    const j = await runCli(['--server', s.grpc.address, '--json', 'actors', 'inspect', 'alert/hot/node=n1']);
    expect(JSON.parse(j.stdout)).toMatchObject({ state: 'firing', context: { firingSince: T0 + 60_000 } });
    const missing = await runCli(['--server', s.grpc.address, 'actors', 'inspect', 'alert/hot/node=n9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('actor "alert/hot/node=n9" does not exist');
    expect(missing.stderr).toContain('(ACTOR_NOT_FOUND)');
  });

  it('lists dead letters newest first', async () => {
    await s.engine.ingestBatch({ source: 'kafka:points/2', points: [{ name: 'cpu', value: 'high' }], pointOffsets: [77], deadLetterRejected: true });
    const r = await runCli(['--server', s.grpc.address, '--json', 'deadletter', 'ls', '--source', 'kafka:']);
    expect(JSON.parse(r.stdout)).toMatchObject([{ source: 'kafka:points/2', offset: 77, code: 'POINT_INVALID', reason: 'point value: must be a finite number, got high' }]);
  });

  it('says how to reach the server when none is running', async () => {
    const r = await runCli(['--server', '127.0.0.1:1', 'rules', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Vigil at 127.0.0.1:1');
  });
});
