/**
 * S9 (inhibition half) end to end: while a node's heartbeats are missing
 * (`node_heartbeat_lost`, scope cluster, `inhibit`), the other alerts of its
 * cluster notify nobody; when heartbeats return, what still fires notifies.
 * Configured inhibition rules and operator silences hold alerts back the same
 * way, and a restart in the middle of a silence changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, type EventMsg } from '../../src/api/index.js';
import { startServer as startRecordingServer, type RecordingServer } from '../deliver/support.js';
import { scenarioRules } from '../language/scenario-rules.js';
import { at, event, point, timeline, useScenarios } from '../support/scenario-harness.js';

const memHigh = `
rule mem_high {
  when mem_percent > 90
  by (cluster, node)
  severity warning
  scope cluster
}
`;
const mem = (cluster: string, node: string, v: number, ms: number) => point('mem_percent', { cluster, node }, v, ms);

function delivery(hook: RecordingServer): unknown {
  return {
    receivers: [{ name: 'hook', type: 'webhook', url: `${hook.url}/alerts` }],
    route: { receiver: 'hook', groupBy: ['alertname', 'cluster'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true },
  };
}

/** One line per webhook message: `status alertname cluster key`. */
function told(hook: RecordingServer): string[] {
  return hook.requests.map((r) => {
    const body = r.json<{ alerts: Array<{ status: string; labels: Record<string, string> }> }>();
    return body.alerts.map((a) => `${a.status} ${a.labels.alertname} ${a.labels.cluster} ${String(r.headers['idempotency-key'])}`).join(' | ');
  });
}

describe('S9 inhibition (end to end)', () => {
  const start = useScenarios();
  let hook: RecordingServer | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it("inhibits a cluster's other alerts while one of its nodes has lost its heartbeats, and releases them when they return", async () => {
    hook = await startRecordingServer();
    const s = await start({ rules: scenarioRules.S9! + memHigh, delivery: delivery(hook) });
    // Heartbeats every 30 s: n1 throughout, n2 until 00:03:30 and again from 00:10:15 (as in the S9 evaluation scenario).
    const beat = (node: string, ms: number): EventMsg => event('heartbeat', { cluster: 'c1', node }, {}, ms);
    let explained = '';
    for (let t = at('0:00:00'); t <= at('0:12:00'); t += 30_000) {
      const n2 = t <= at('0:03:30') || t >= at('0:10:00') ? [beat('n2', t + (t >= at('0:10:00') ? 15_000 : 0))] : [];
      const points = t === at('0:09:00') ? [mem('c1', 'n1', 95, t), mem('c2', 'n1', 96, t)] : [];
      await s.send({ points, events: [beat('n1', t), ...n2] });
      await s.deliver();
      if (t === at('0:10:00')) {
        const d = await call<{ contextJson: string }>(s.server.clients.admin, 'inspectActor', { id: 'alert/mem_high/cluster=c1,node=n1' });
        explained = (JSON.parse(d.contextJson) as { correlation: { summary: string } }).correlation.summary;
      }
    }
    expect(explained).toBe(`firing, suppressed: inhibited by alert/node_heartbeat_lost/cluster=c1,node=n2 since ${new Date(at('0:08:30')).toISOString()} (rule node_heartbeat_lost)`);

    expect(await s.rows()).toEqual(
      timeline(`
        time      rule                 alert               transition
        00:08:30  node_heartbeat_lost  cluster=c1,node=n2  inactive -> firing    # last heartbeat 00:03:30 + 5m
        00:09:00  mem_high             cluster=c1,node=n1  inactive -> firing    # inhibited: same cluster
        00:09:00  mem_high             cluster=c2,node=n1  inactive -> firing
        00:11:00  node_heartbeat_lost  cluster=c1,node=n2  firing   -> resolved
      `),
    );
    expect(told(hook)).toEqual([
      'firing node_heartbeat_lost c1 alert/node_heartbeat_lost/cluster=c1#1',
      'firing mem_high c2 alert/mem_high/cluster=c2#2',
      'resolved node_heartbeat_lost c1 alert/node_heartbeat_lost/cluster=c1#3',
      'firing mem_high c1 alert/mem_high/cluster=c1#4', // released when the inhibiting alert resolved
    ]);
  });

  it('holds alerts back by configured inhibition rules and by a silence, across a restart in the middle of the silence', async () => {
    hook = await startRecordingServer();
    const rules = `${memHigh}
rule cluster_down {
  when up < 1
  by (cluster)
  severity critical
  scope cluster
}
`;
    const s = await start({
      rules,
      delivery: delivery(hook),
      correlation: { inhibitions: [{ name: 'down-hides-warnings', source: [{ label: 'alertname', op: '=', value: 'cluster_down' }], target: [{ label: 'severity', op: '=', value: 'warning' }], equal: ['cluster'] }] },
    });
    const send = async (points: ReturnType<typeof mem>[]): Promise<void> => {
      await s.send({ points });
      await s.deliver();
    };
    await send([mem('c1', 'n1', 95, at('0:01:00'))]);
    const silence = await call<{ id: string; state: string; startsAtMs: number; endsAtMs: number; createdBy: string }>(s.server.clients.silences, 'createSilence', {
      matchers: [{ label: 'cluster', op: '=', value: 'c2' }],
      durationMs: 30 * 60_000,
      comment: 'c2 is being rebuilt',
    });
    expect(silence).toMatchObject({ state: 'active', startsAtMs: at('0:01:00'), endsAtMs: at('0:31:00'), createdBy: 'anonymous' });
    await send([mem('c2', 'n1', 95, at('0:02:00'))]); // silenced

    await s.restart(); // in the middle of the silence
    await send([point('up', { cluster: 'c3' }, 0, at('0:03:00'))]);
    await send([mem('c3', 'n1', 97, at('0:03:30'))]); // inhibited by cluster_down on c3
    await send([mem('c2', 'n2', 93, at('0:04:00'))]); // still silenced after the restart
    await s.advanceTo(at('0:10:00'));
    const expired = await call<{ state: string; expiredAtMs: number }>(s.server.clients.silences, 'expireSilence', { id: silence.id });
    expect(expired).toMatchObject({ state: 'expired', expiredAtMs: at('0:10:00') });
    await s.deliver();
    await send([point('up', { cluster: 'c3' }, 1, at('0:12:00'))]);

    expect(await s.rows()).toEqual(
      timeline(`
        time      rule          alert               transition
        00:01:00  mem_high      cluster=c1,node=n1  inactive -> firing
        00:02:00  mem_high      cluster=c2,node=n1  inactive -> firing    # silenced
        00:03:00  cluster_down  cluster=c3          inactive -> firing
        00:03:30  mem_high      cluster=c3,node=n1  inactive -> firing    # inhibited
        00:04:00  mem_high      cluster=c2,node=n2  inactive -> firing    # silenced
        00:12:00  cluster_down  cluster=c3          firing   -> resolved
      `),
    );
    expect(told(hook)).toEqual([
      'firing mem_high c1 alert/mem_high/cluster=c1#1',
      'firing cluster_down c3 alert/cluster_down/cluster=c3#2',
      'firing mem_high c2 alert/mem_high/cluster=c2#3', // the silence was expired at 10:00
      'resolved cluster_down c3 alert/cluster_down/cluster=c3#4',
      'firing mem_high c3 alert/mem_high/cluster=c3#5', // released when cluster_down resolved
    ]);
    const listed = await call<{ silences: Array<{ id: string; state: string; comment: string }> }>(s.server.clients.silences, 'listSilences', {});
    expect(listed.silences).toEqual([expect.objectContaining({ id: silence.id, state: 'expired', comment: 'c2 is being rebuilt' })]);
  });
});
