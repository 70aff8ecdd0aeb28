/**
 * The walking skeleton, end to end through every real component: `vigil serve`
 * as a child process, a rule applied with the CLI, points over gRPC ingest,
 * transitions on StreamAlerts, and a SIGKILL while an alert fires.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, decodeStatusDetails } from '../../src/api/index.js';
import { AlertCollector, connect, ingestStream, point, T0, type VigilClients } from '../support/grpc-client.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli, startServe, type ServerProcess } from '../support/vigil-process.js';

const rule = `# too hot
rule hot_room {
  when temperature{site="lab"} > 30
  by (room)
  severity critical
}
`;

describe('walking skeleton', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: ServerProcess | undefined;
  let clients: VigilClients | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    clients?.close();
    await server?.kill('SIGKILL');
    dir.remove();
  });

  it('fires and resolves, survives SIGKILL while firing, and the stream resumes without gaps or repeats', async () => {
    const dataDir = join(dir.path, 'data');
    server = await startServe(dataDir);
    const ruleFile = join(dir.path, 'hot.vigil');
    writeFileSync(ruleFile, rule);
    const applied = await runCli(['--server', server.address, 'rules', 'apply', ruleFile]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('rule hot_room created (version 1)');

    const listed = await runCli(['--server', server.address, '--json', 'rules', 'ls']);
    expect(JSON.parse(listed.stdout).map((r: { name: string }) => r.name)).toEqual(['hot_room']);

    clients = connect(server.address);
    const stream = new AlertCollector(clients);
    const ingest = ingestStream(clients);
    const lab = (room: string, value: number, t: number) => point('temperature', { site: 'lab', room }, value, T0 + t * 1000);

    await ingest.send([lab('r1', 35, 1), lab('r2', 20, 1)]);
    await ingest.send([lab('r1', 25, 2)]);
    const firstTwo = await stream.waitFor(2);
    expect(firstTwo.map((e) => [e.sequence, e.alert, e.fromState, e.toState, e.tsMs - T0])).toEqual([
      [1, 'alert/hot_room/room=r1', 'inactive', 'firing', 1000],
      [2, 'alert/hot_room/room=r1', 'firing', 'resolved', 2000],
    ]);
    expect(firstTwo[0]!.labels).toEqual({ room: 'r1' });
    expect(firstTwo[0]!.severity).toBe('critical');

    // The subscriber disconnects after sequence 2; the alert fires again while it is away.
    stream.cancel();
    const ack = await ingest.send([lab('r1', 40, 3)]);
    expect(ack.lastSequence).toBe(3);
    ingest.end();
    clients.close();

    // kill -9 while the alert is firing, then restart on the same data directory.
    await server.kill('SIGKILL');
    server = await startServe(dataDir);
    clients = connect(server.address);
    const resumed = new AlertCollector(clients, { afterSequence: 2 });
    const ingest2 = ingestStream(clients);
    // Still firing: another breach changes nothing; a clear resolves from `firing`.
    await ingest2.send([lab('r1', 38, 4)]);
    await ingest2.send([lab('r1', 10, 5)]);
    const events = await resumed.waitFor(2);
    expect(events.map((e) => [e.sequence, e.fromState, e.toState, e.tsMs - T0])).toEqual([
      [3, 'resolved', 'firing', 3000],
      [4, 'firing', 'resolved', 5000],
    ]);
    expect(events.map((e) => e.id)).toEqual(['alert/hot_room/room=r1#3', 'alert/hot_room/room=r1#4']);
    resumed.cancel();
    ingest2.end();
  });

  it('rejects a malformed rule with INVALID_ARGUMENT and its line and column', async () => {
    server = await startServe(join(dir.path, 'data'));
    const bad = join(dir.path, 'bad.vigil');
    writeFileSync(bad, 'rule broken {\n  when cpu > \n}\n');
    const cli = await runCli(['--server', server.address, 'rules', 'apply', bad]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${bad}:3:1:`);
    expect(cli.stderr).toContain('(RULE_SYNTAX)');

    clients = connect(server.address);
    const err = await call(clients.rules, 'applyRules', { source: 'rule r {\n  when cpu{a=~"("} > 1\n}' }).catch((e: grpc.ServiceError) => e);
    expect((err as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    const details = decodeStatusDetails(err as grpc.ServiceError);
    expect(details.code).toBe('RULE_INVALID');
    expect(details.violations[0]!.field).toBe('source:2:12');
  });

  it('rejects a malformed point with a reason and keeps the ingest stream going', async () => {
    server = await startServe(join(dir.path, 'data'));
    clients = connect(server.address);
    await call(clients.rules, 'applyRules', { source: rule });
    const stream = new AlertCollector(clients);
    const ingest = ingestStream(clients);
    const first = await ingest.send([
      point('temperature', { site: 'lab', room: 'r1' }, 31, T0),
      point('', {}, 1, T0),
      point('temperature', { site: 'lab', room: 'r1' }, 1, 1_700_000),
    ]);
    expect(first.accepted).toBe(1);
    expect(first.rejected).toEqual([
      { item: 'point', index: 1, field: 'name', reason: 'is required' },
      { item: 'point', index: 2, field: 'ts', reason: '1700000 is outside 2000-01-01..2200-01-01; is it in seconds instead of milliseconds?' },
    ]);
    const second = await ingest.send([point('temperature', { site: 'lab', room: 'r1' }, 10, T0 + 1000)]);
    expect(second).toMatchObject({ accepted: 1, rejected: [], lastSequence: 2 });
    expect((await stream.waitFor(2)).map((e) => e.toState)).toEqual(['firing', 'resolved']);
    stream.cancel();
    ingest.end();
  });
});
