/** `vigil clusters`, `vigil silences` and `vigil incidents` against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/api/index.js';
import { point, T0 } from '../support/grpc-client.js';
import { startTestServer, type TestServer } from '../support/in-process-server.js';
import { runCli } from '../support/vigil-process.js';

const rules = `
rule oops {
  when oops_seen > 0
  by (cluster, node)
  signature "kernel-oops"
  scope cluster
}
`;

describe('vigil clusters, silences, incidents', () => {
  let s: TestServer;
  const cli = (...args: string[]) => runCli(['--server', s.grpc.address, ...args]);
  beforeAll(async () => {
    s = await startTestServer();
    await call(s.clients.rules, 'applyRules', { source: rules });
    // Event time "now" on the server becomes T0 + 1 min.
    await call(s.clients.ingest, 'ingestBatch', { batchId: 1, points: [point('oops_seen', { cluster: 'c1', node: 'n1' }, 1, T0 + 60_000)] });
  });
  afterAll(() => s.stop());

  it('starts and ends an upgrade and a maintenance window, and lists clusters', async () => {
    const started = await cli('clusters', 'upgrade', 'start', 'c2', '--for', '45m', '--by', 'ana');
    expect(started.stdout).toBe('cluster c2 is upgrading since 2026-01-01T00:01:00.000Z until 2026-01-01T00:46:00.000Z by operator:ana\n');
    const ls = await cli('clusters', 'ls');
    expect(ls.stdout.split('\n')).toEqual([
      'CLUSTER  STATE      SINCE                     UNTIL                     BY            LAST HEARTBEAT',
      'c1       active     -                         -                         -             -',
      'c2       upgrading  2026-01-01T00:01:00.000Z  2026-01-01T00:46:00.000Z  operator:ana  -',
      '',
    ]);
    expect((await cli('clusters', 'upgrade', 'end', 'c2')).stdout).toBe('cluster c2 is active\n');
    const maintenance = await cli('--json', 'clusters', 'maintenance', 'c2', '--for', '2h');
    expect(JSON.parse(maintenance.stdout)).toMatchObject({ cluster: 'c2', state: 'maintenance', untilMs: T0 + 60_000 + 2 * 3_600_000, by: 'operator:anonymous' });
    expect((await cli('clusters', 'maintenance', 'end', 'c2')).stdout).toBe('cluster c2 is active\n');
  });

  it('refuses a maintenance window without a length and an unknown cluster, with the error code', async () => {
    const noLength = await cli('clusters', 'maintenance', 'c2');
    expect(noLength.code).toBe(1);
    expect(noLength.stderr).toContain('a maintenance window needs a length: --for 2h');
    const unknown = await cli('clusters', 'upgrade', 'end', 'nowhere');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('(CLUSTER_NOT_FOUND)');
  });

  it('adds, lists and expires a silence', async () => {
    const added = await cli('--json', 'silences', 'add', 'cluster=c9', 'alertname=~"oo.*"', '--for', '1h', '--comment', 'rebuild');
    const silence = JSON.parse(added.stdout) as { id: string; state: string; startsAtMs: number; endsAtMs: number };
    expect(silence).toMatchObject({ state: 'active', startsAtMs: T0 + 60_000, endsAtMs: T0 + 60_000 + 3_600_000 });
    const ls = await cli('silences', 'ls');
    expect(ls.stdout).toContain(`${silence.id}  active  cluster="c9",alertname=~"oo.*"  2026-01-01T00:01:00.000Z  2026-01-01T01:01:00.000Z  anonymous  rebuild`);
    expect((await cli('silences', 'expire', silence.id)).stdout).toBe(`silence ${silence.id} is expired since 2026-01-01T00:01:00.000Z\n`);
    expect(JSON.parse((await cli('--json', 'silences', 'ls', '--state', 'active')).stdout)).toEqual([]);
    const bad = await cli('silences', 'add', 'cluster!=c1', '--for', '1h');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('at least one matcher must require a label value');
    expect(bad.stderr).toContain('(ARGUMENT_INVALID)');
  });

  it('lists incidents and acknowledges one by its signature', async () => {
    const ls = await cli('incidents', 'ls');
    expect(ls.stdout.split('\n')[1]).toMatch(/^incident\/kernel-oops\s+open\s+warning\s+2026-01-01T00:01:00.000Z\s+-\s+-\s+c1:firing$/);
    expect((await cli('incidents', 'ack', 'kernel-oops', '--by', 'ana')).stdout).toBe('incident/kernel-oops acknowledged by ana at 2026-01-01T00:01:00.000Z (c1:firing)\n');
    const again = await cli('incidents', 'ack', 'no-such-signature');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(INCIDENT_NOT_FOUND)');
  });

  it('explains in actors inspect who hears about an alert', async () => {
    const r = await cli('actors', 'inspect', 'alert/oops/cluster=c1,node=n1');
    expect(r.stdout).toContain('notifies:  firing and notified as incident/kernel-oops');
    expect(r.stdout).toContain('subject:   alert/oops/cluster=c1 (cluster c1: active)');
    expect(r.stdout).toContain('incident:  incident/kernel-oops (acknowledged)');
  });
});
