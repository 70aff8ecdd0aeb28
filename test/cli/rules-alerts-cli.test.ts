import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, type VigilClients } from '../../src/api/index.js';
import { startApiServer, type ApiTestServer } from '../api/support/server.js';
import { point, T0 } from '../support/grpc-client.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli } from '../support/vigil-process.js';
import { FollowingCli } from './support/follow-cli.js';

describe('vigil rules and alerts', () => {
  let s: ApiTestServer;
  let c: VigilClients;
  const dir = tempDir();
  beforeAll(async () => {
    s = await startApiServer();
    c = connect(s.address);
    await call(c.rules, 'applyRules', {
      source: 'rule api_down { when up{job="api"} < 1 by (cluster) severity critical labels { team = "web" } }\nrule db_slow { when latency_ms > 100 by (cluster) severity warning labels { team = "data" } }',
    });
  });
  afterAll(async () => {
    c.close();
    await s.stop();
    dir.remove();
  });

  it('applies only at the expected version and explains a conflict', async () => {
    const file = join(dir.path, 'api.vigil');
    writeFileSync(file, 'rule api_down { when up{job="api"} < 1 by (cluster) severity critical labels { team = "web" } for 1m }\n');
    const stale = await runCli(['--server', s.address, 'rules', 'apply', file, '--expect-version', '2']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('rule "api_down" is at version 1, not 2 (RULE_VERSION_CONFLICT): it changed since you read it');
    const fresh = await runCli(['--server', s.address, 'rules', 'apply', file, '--expect-version', 'api_down=1']);
    expect(fresh.stdout).toBe('rule api_down updated (version 2)\n');
  });

  it('lists rules filtered by prefix and label, with severity and labels', async () => {
    const r = await runCli(['--server', s.address, 'rules', 'ls', '--label', 'team=data']);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+VERSION\s+SEVERITY\s+LABELS\s+UPDATED$/);
    expect(r.stdout.split('\n').slice(1, -1)).toEqual([expect.stringMatching(/^db_slow\s+1\s+warning\s+team=data\s+\S+$/)]);
    const j = await runCli(['--server', s.address, '--json', 'rules', 'ls', '--prefix', 'api']);
    expect(JSON.parse(j.stdout).map((x: { name: string }) => x.name)).toEqual(['api_down']);
  });

  it('watches only the alerts that match --severity, --cluster and --label', async () => {
    const watch = new FollowingCli(['--server', s.address, '--json', 'alerts', 'watch', '--severity', 'warning', '--cluster', 'c2', '--label', 'team=data']);
    await call(c.ingest, 'ingestBatch', {
      batchId: 1,
      points: [point('up', { job: 'api', cluster: 'c2' }, 0, T0), point('latency_ms', { cluster: 'c1' }, 500, T0), point('latency_ms', { cluster: 'c2' }, 500, T0)],
    });
    const [line] = await watch.waitForLines(1);
    expect(JSON.parse(line!)).toMatchObject({ rule: 'db_slow', labels: { cluster: 'c2' }, toState: 'firing', severity: 'warning' });
    // A later event that matches shows there was nothing in between.
    await call(c.ingest, 'ingestBatch', { batchId: 2, points: [point('latency_ms', { cluster: 'c1' }, 1, T0 + 1), point('latency_ms', { cluster: 'c2' }, 1, T0 + 1)] });
    const lines = await watch.waitForLines(2);
    expect(lines.map((l) => JSON.parse(l) as { labels: { cluster: string }; toState: string }).map((e) => `${e.labels.cluster} ${e.toState}`)).toEqual(['c2 firing', 'c2 resolved']);
    expect(await watch.interrupt()).toBe(0);
  });

  it('rejects a malformed --label before calling the server', async () => {
    const r = await runCli(['--server', s.address, 'alerts', 'watch', '--label', 'team']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vigil: --label team: write NAME=VALUE\n');
  });
});
