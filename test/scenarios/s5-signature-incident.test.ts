/**
 * S5 — Same signature across clusters → one common issue, end to end: a
 * kernel-oops signature reported by nodes of several clusters is de-duplicated
 * to one alertable per cluster (scope cluster) and consolidated into one
 * incident listing the affected clusters. The receiver gets one thread per
 * incident (one idempotency key per change, all about `incident/kernel-oops`):
 * opened, clusters joining and recovering, acknowledged, resolved with the
 * last member — and a restart in the middle changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../src/api/index.js';
import { startFakeJira } from '../deliver/receivers/fake-jira.js';
import { startServer as startRecordingServer, type RecordingServer } from '../deliver/support.js';
import { at, point, timeline, useScenarios } from '../support/scenario-harness.js';

// A node reports 1 while its kernel log shows the signature, 0 once it is healthy again.
const rules = `
rule kernel_oops {
  when kernel_oops_seen > 0
  by (cluster, node)
  severity critical
  annotations {
    summary = "kernel oops on {{ $labels.cluster }}"
  }
  signature "kernel-oops"
  scope cluster
}
`;

const oops = (cluster: string, node: string, v: number, time: string) => point('kernel_oops_seen', { cluster, node }, v, at(time));

interface IncidentMsg {
  id: string;
  state: string;
  occurrence: number;
  acknowledgedBy: string;
  members: Array<{ id: string; state: string }>;
}

describe('S5 same signature across clusters → one incident (end to end)', () => {
  const start = useScenarios();
  let hook: RecordingServer | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it('opens one incident, updates it as clusters join and recover, and resolves it with the last one, across a restart', async () => {
    hook = await startRecordingServer();
    const s = await start({
      rules,
      delivery: {
        receivers: [{ name: 'tickets', type: 'webhook', url: `${hook.url}/tickets` }],
        route: { receiver: 'tickets', groupBy: ['signature'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true },
      },
    });
    const send = async (points: ReturnType<typeof oops>[]): Promise<void> => {
      await s.send({ points });
      await s.deliver();
    };
    const incident = async (): Promise<IncidentMsg> => (await call<{ incidents: IncidentMsg[] }>(s.server.clients.incidents, 'listIncidents', {})).incidents[0]!;
    const members = (i: IncidentMsg): string => i.members.map((m) => `${m.id}:${m.state}`).join(' ');

    await send([oops('c1', 'n1', 1, '0:01:00')]);
    await send([oops('c1', 'n2', 1, '0:02:00')]); // a second node of c1: the same alertable, nothing new
    await send([oops('c2', 'n1', 1, '0:03:00')]);
    expect(await incident()).toMatchObject({ id: 'incident/kernel-oops', state: 'open', occurrence: 1 });
    expect(members(await incident())).toBe('c1:firing c2:firing');

    const acked = await call<IncidentMsg>(s.server.clients.incidents, 'acknowledgeIncident', { incident: 'kernel-oops', by: 'ana' });
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana' });
    await s.deliver();

    await s.restart(); // with the incident open and acknowledged
    await send([oops('c1', 'n1', 0, '0:05:00'), oops('c3', 'n1', 1, '0:05:00')]); // c1 still has n2; c3 joins
    await send([oops('c1', 'n2', 0, '0:06:00')]); // c1 recovers
    await send([oops('c2', 'n1', 0, '0:07:00')]);
    expect(await incident()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana' });
    await send([oops('c3', 'n1', 0, '0:08:00')]); // the last member: resolved
    expect(await incident()).toMatchObject({ state: 'resolved' });
    expect(members(await incident())).toBe('c1:resolved c2:resolved c3:resolved');

    // The raw truth per node, as StreamAlerts shows it.
    expect(await s.rows()).toEqual(
      timeline(`
        time      rule         alert               transition
        00:01:00  kernel_oops  cluster=c1,node=n1  inactive -> firing
        00:02:00  kernel_oops  cluster=c1,node=n2  inactive -> firing
        00:03:00  kernel_oops  cluster=c2,node=n1  inactive -> firing
        00:05:00  kernel_oops  cluster=c1,node=n1  firing   -> resolved
        00:05:00  kernel_oops  cluster=c3,node=n1  inactive -> firing
        00:06:00  kernel_oops  cluster=c1,node=n2  firing   -> resolved
        00:07:00  kernel_oops  cluster=c2,node=n1  firing   -> resolved
        00:08:00  kernel_oops  cluster=c3,node=n1  firing   -> resolved
      `),
    );
    // One ticket thread: every message is about the incident, one idempotency key per change.
    const messages = hook.requests.map((r) => {
      const body = r.json<{ alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }> }>();
      return body.alerts.map((a) => `${a.status} ${a.labels.alertname} ${a.labels.signature} ${String(r.headers['idempotency-key'])}`).join(' | ');
    });
    expect(messages).toEqual([
      'firing kernel_oops kernel-oops incident/kernel-oops#1', // opened: c1
      'firing kernel_oops kernel-oops incident/kernel-oops#2', // c2 joined
      'firing kernel_oops kernel-oops incident/kernel-oops#3', // acknowledged
      'firing kernel_oops kernel-oops incident/kernel-oops#4', // c3 joined
      'firing kernel_oops kernel-oops incident/kernel-oops#5', // c1 recovered
      'firing kernel_oops kernel-oops incident/kernel-oops#6', // c2 recovered
      'resolved kernel_oops kernel-oops incident/kernel-oops#7', // c3 recovered: the last one
    ]);
  });

  it('opens one Jira issue for the incident, comments each change on it and closes it when the incident resolves', async () => {
    const jira = await startFakeJira(`Basic ${Buffer.from('bot@example.com:jira-token').toString('base64')}`);
    try {
      const s = await start({
        rules,
        delivery: {
          receivers: [{ name: 'tickets', type: 'jira', url: jira.server.url, user: 'bot@example.com', apiToken: 'jira-token', project: 'OPS', issueType: 'Incident' }],
          route: { receiver: 'tickets', groupBy: ['signature'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true },
        },
      });
      const send = async (points: ReturnType<typeof oops>[]): Promise<void> => {
        await s.send({ points });
        await s.deliver();
      };
      await send([oops('c1', 'n1', 1, '0:01:00')]);
      await send([oops('c2', 'n1', 1, '0:02:00')]);
      await s.restart();
      await send([oops('c1', 'n1', 0, '0:03:00')]);
      await send([oops('c2', 'n1', 0, '0:04:00')]);
      expect(jira.issues).toHaveLength(1);
      // Titled by the signature, not by the first cluster's summary: the incident spans several.
      expect(jira.issues[0]).toMatchObject({ fields: { summary: '[Vigil] kernel-oops' }, status: 'Done' });
      // c2 joined, c1 recovered, c2 recovered (the resolution): each change once.
      expect(jira.issues[0]!.comments).toHaveLength(3);
    } finally {
      await jira.close();
    }
  });

  it('answers INCIDENT_NOT_FOUND for an incident that is not open', async () => {
    const s = await start({ rules });
    await expect(call(s.server.clients.incidents, 'acknowledgeIncident', { incident: 'kernel-oops' })).rejects.toMatchObject({ code: 5 });
  });
});
