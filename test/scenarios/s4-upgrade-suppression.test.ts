/**
 * S4 — Do not fire while a cluster is upgrading, end to end: rules over
 * RuleService, points and lifecycle events over IngestService, operator
 * commands over ClusterService, transitions from StreamAlerts and
 * notifications at a real webhook. Alerts of an upgrading cluster still
 * evaluate and record transitions (StreamAlerts shows them all) but notify
 * nobody; at the end those still firing notify, those that cleared never do;
 * an upgrade without an end times out and raises its own alert. A restart in
 * the middle of the upgrade changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../src/api/index.js';
import { startServer as startRecordingServer, type RecordingServer } from '../deliver/support.js';
import { scenarioRules } from '../language/scenario-rules.js';
import { at, event, point, timeline, useScenarios, type Scenario } from '../support/scenario-harness.js';

// disk_full is S4's rule (for 2m, scope cluster); two point rules give the cluster more alerts to hold back.
const rules = `${scenarioRules.S4}
rule mem_high {
  when mem_percent > 90
  by (cluster, node)
  scope cluster
}
rule inode_full {
  when inodes_used_percent > 95
  by (cluster, node)
  scope cluster
}
`;

const disk = (cluster: string, node: string, v: number, time: string) => point('disk_used_percent', { cluster, node }, v, at(time));
const mem = (cluster: string, node: string, v: number, time: string) => point('mem_percent', { cluster, node }, v, at(time));
const inode = (cluster: string, node: string, v: number, time: string) => point('inodes_used_percent', { cluster, node }, v, at(time));
const lifecycle = (type: string, cluster: string, time: string) => event(type, { cluster }, {}, at(time));

/** One webhook message per notification: `status alertname cluster key`. */
function told(hook: RecordingServer): string[] {
  return hook.requests.map((r) => {
    const body = r.json<{ alerts: Array<{ status: string; labels: Record<string, string> }> }>();
    return body.alerts.map((a) => `${a.status} ${a.labels.alertname} ${a.labels.cluster} ${String(r.headers['idempotency-key'])}`).join(' | ');
  });
}

function delivery(hook: RecordingServer): unknown {
  return {
    receivers: [{ name: 'hook', type: 'webhook', url: `${hook.url}/alerts` }],
    // One message per subject and change, never a reminder.
    route: { receiver: 'hook', groupBy: ['alertname', 'cluster'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true },
  };
}

describe('S4 do not fire while a cluster is upgrading (end to end)', () => {
  const start = useScenarios();
  let hook: RecordingServer | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  async function send(s: Scenario, batch: Parameters<Scenario['send']>[0]): Promise<void> {
    await s.send(batch);
    await s.deliver();
  }

  it('holds the cluster back from the upgrade start on, even within one batch, and reconciles at its end across a restart', async () => {
    hook = await startRecordingServer();
    const s = await start({ rules, delivery: delivery(hook) });
    await send(s, { points: [disk('c1', 'n1', 97, '0:00:40'), disk('c2', 'n1', 98, '0:00:40')] });
    // One batch: mem_high fires at 02:00, the upgrade of c1 starts at 02:15, disk_full's for 2m ends at 02:40.
    await send(s, { points: [mem('c1', 'n2', 95, '0:02:00'), disk('c2', 'n1', 98, '0:02:40')], events: [lifecycle('cluster.upgrade.started', 'c1', '0:02:15')] });
    await send(s, { points: [mem('c1', 'n2', 50, '0:04:00')] }); // told before the upgrade, cleared during it
    await send(s, { points: [inode('c1', 'n3', 99, '0:05:00')] }); // fires during the upgrade ...
    await send(s, { points: [inode('c1', 'n3', 60, '0:06:00')] }); // ... and clears during it: never notifies
    expect(told(hook)).toEqual(['firing mem_high c1 alert/mem_high/cluster=c1#1', 'firing disk_full c2 alert/disk_full/cluster=c2#2']);

    await s.restart(); // in the middle of the upgrade
    const clusters = await call<{ clusters: Array<{ cluster: string; state: string; sinceMs: number; by: string }> }>(s.server.clients.clusters, 'listClusters', {});
    // c2 is known through its scoped alert; c1 upgrades until 02:15 + the default 2 h time-out.
    expect(clusters.clusters).toMatchObject([
      { cluster: 'c1', state: 'upgrading', sinceMs: at('0:02:15'), untilMs: at('2:02:15'), by: 'event' },
      { cluster: 'c2', state: 'active' },
    ]);
    const inspect = await call<{ contextJson: string }>(s.server.clients.admin, 'inspectActor', { id: 'alert/disk_full/cluster=c1,node=n1' });
    const iso = (time: string): string => new Date(at(time)).toISOString();
    expect((JSON.parse(inspect.contextJson) as { correlation: { summary: string } }).correlation.summary).toBe(
      `firing, suppressed: cluster/c1 is upgrading since ${iso('0:02:15')} until ${iso('2:02:15')} by event`,
    );

    await send(s, { events: [lifecycle('cluster.upgrade.finished', 'c1', '0:10:00')] });
    await send(s, { points: [disk('c1', 'n1', 50, '0:11:00')] });

    // The raw truth: every transition, suppressed or not, is in the alert log.
    expect(await s.rows()).toEqual(
      timeline(`
        time      rule        alert               transition
        00:00:40  disk_full   cluster=c1,node=n1  inactive -> pending
        00:00:40  disk_full   cluster=c2,node=n1  inactive -> pending
        00:02:00  mem_high    cluster=c1,node=n2  inactive -> firing
        00:02:40  disk_full   cluster=c1,node=n1  pending  -> firing    # suppressed: c1 upgrades since 02:15
        00:02:40  disk_full   cluster=c2,node=n1  pending  -> firing
        00:04:00  mem_high    cluster=c1,node=n2  firing   -> resolved  # held: people hear of it when the upgrade ends
        00:05:00  inode_full  cluster=c1,node=n3  inactive -> firing    # suppressed
        00:06:00  inode_full  cluster=c1,node=n3  firing   -> resolved  # cleared during the upgrade: never notified
        00:11:00  disk_full   cluster=c1,node=n1  firing   -> resolved
      `),
    );
    // Who heard about it: at the end of the upgrade, what was told and cleared resolves, what still fires fires.
    expect(told(hook)).toEqual([
      'firing mem_high c1 alert/mem_high/cluster=c1#1',
      'firing disk_full c2 alert/disk_full/cluster=c2#2',
      'resolved mem_high c1 alert/mem_high/cluster=c1#3',
      'firing disk_full c1 alert/disk_full/cluster=c1#4',
      'resolved disk_full c1 alert/disk_full/cluster=c1#5',
    ]);
  });

  it('times out an upgrade started by an operator without an end, raises its alert, and survives a restart while it runs', async () => {
    hook = await startRecordingServer();
    const s = await start({ rules, delivery: delivery(hook), correlation: { upgradeTimeoutMs: 30 * 60_000 } });
    await send(s, { points: [mem('c1', 'n1', 20, '0:01:00')] }); // event time now: 01:00
    const started = await call<{ state: string; sinceMs: number; untilMs: number; by: string }>(s.server.clients.clusters, 'startUpgrade', { cluster: 'c1', by: 'ana' });
    expect(started).toMatchObject({ state: 'upgrading', sinceMs: at('0:01:00'), untilMs: at('0:31:00'), by: 'operator:ana' });
    await send(s, { points: [mem('c1', 'n1', 95, '0:10:00')] });
    await s.restart();
    await send(s, { points: [mem('c1', 'n1', 96, '0:31:00')] }); // passes 01:00 + 30m: the upgrade timed out
    await send(s, { points: [mem('c1', 'n1', 97, '0:35:00')] });
    const ended = await call<{ state: string; upgradeTimedOut: boolean }>(s.server.clients.clusters, 'endUpgrade', { cluster: 'c1' });
    expect(ended).toMatchObject({ state: 'active', upgradeTimedOut: false });
    await s.deliver();

    expect(await s.rows()).toEqual(
      timeline(`
        time      rule                           alert               transition
        00:10:00  mem_high                       cluster=c1,node=n1  inactive -> firing
        00:31:00  vigil:cluster_upgrade_timeout  cluster=c1          inactive -> firing    # 01:00 + 30m, raised by correlate
        00:35:00  vigil:cluster_upgrade_timeout  cluster=c1          firing   -> resolved  # the late end, at the event time now
      `),
    );
    expect(told(hook)).toEqual([
      'firing vigil:cluster_upgrade_timeout c1 alert/vigil:cluster_upgrade_timeout/cluster=c1#1',
      'firing mem_high c1 alert/mem_high/cluster=c1#2', // held since 10:00, released by the time-out at 31:00
      'resolved vigil:cluster_upgrade_timeout c1 alert/vigil:cluster_upgrade_timeout/cluster=c1#3',
    ]);
    const unknown = call(s.server.clients.clusters, 'endUpgrade', { cluster: 'c9' });
    await expect(unknown).rejects.toMatchObject({ code: 5 });
  });
});
