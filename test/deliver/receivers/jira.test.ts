/** Jira Cloud ticket receiver against a real local HTTP server: one issue per incident, comments, resolve, found again after restart. */
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentEvent, IncidentMember } from '../../../src/deliver/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { harness, type Harness } from '../support.js';
import { startFakeJira, type FakeJira } from './fake-jira.js';

const t0 = 1_700_000_000_000;
const auth = `Basic ${Buffer.from('bot@example.com:jira-token').toString('base64')}`;

const member = (cluster: string, state: IncidentMember['state'] = 'firing'): IncidentMember => ({ id: `cluster/${cluster}`, labels: { cluster }, state });

function incident(n: number, change: IncidentEvent['change'], members: IncidentMember[]): IncidentEvent {
  return {
    kind: 'incident',
    seq: n,
    id: `incident/kernel-oops#${n}`,
    incident: 'incident/kernel-oops',
    title: `Kernel oops on ${members.filter((m) => m.state === 'firing').length} clusters`,
    labels: { alertname: 'kernel_oops', signature: 'oops-42' },
    change,
    members,
    severity: 'error',
    ts: t0 + n * 1000,
  };
}

describe('jira receiver', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  let jira: FakeJira;
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const config = () => ({
    receivers: [{ name: 'tickets', type: 'jira', url: jira.server.url, user: 'bot@example.com', apiToken: '${JIRA_API_TOKEN}', project: 'OPS', issueType: 'Incident', labels: ['sre'] }],
    route: { receiver: 'tickets', groupBy: ['signature'], groupWaitMs: 0, groupIntervalMs: 0 },
  });

  async function setup(dir = tempDir('vigil-deliver-')): Promise<Harness> {
    const h = await harness({ startAt: t0, env: { JIRA_API_TOKEN: 'jira-token' }, delivery: config(), dataDir: dir });
    cleanups.push(() => h.dispose());
    return h;
  }

  it('opens one issue per incident, comments on member changes and resolves it', async () => {
    jira = await startFakeJira(auth);
    cleanups.push(() => jira.close());
    const h = await setup();
    await h.commit([incident(1, 'opened', [member('c1'), member('c2')])]);
    await h.commit([incident(2, 'members-changed', [member('c1'), member('c2'), member('c3')])]);
    await h.commit([incident(3, 'resolved', [member('c1', 'resolved'), member('c2', 'resolved'), member('c3', 'resolved')])]);
    await h.advance(1000);
    expect(jira.issues).toHaveLength(1);
    const [issue] = jira.issues;
    expect(issue!.fields).toEqual({
      project: { key: 'OPS' },
      issuetype: { name: 'Incident' },
      summary: '[Vigil] Kernel oops on 2 clusters',
      description: {
        type: 'doc',
        version: 1,
        content: [
          'firing: Kernel oops on 2 clusters',
          'members: cluster/c1 (firing) cluster/c2 (firing) ',
          'labels: severity=error, alertname=kernel_oops, signature=oops-42',
          `since: ${new Date(t0 + 1000).toISOString()}`,
          '[vigil:incident/kernel-oops#1]',
        ].map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      },
      labels: [expect.stringMatching(/^vigil-[0-9a-f]{20}$/), 'vigil', 'sre'],
    });
    const comments = issue!.comments.map((c) => JSON.stringify(c));
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain('Members changed.');
    expect(comments[0]).toContain('cluster/c3 (firing)');
    expect(comments[0]).toContain('[vigil:incident/kernel-oops#2]');
    expect(comments[1]).toContain('Resolved.');
    expect(comments[1]).toContain('[vigil:incident/kernel-oops#3]');
    expect(issue!.status).toBe('Done');
  });

  it('finds its issue again after a restart by the idempotency label instead of creating a second one', async () => {
    jira = await startFakeJira(auth);
    cleanups.push(() => jira.close());
    const dir = tempDir('vigil-deliver-');
    const first = await setup(dir);
    await first.commit([incident(1, 'opened', [member('c1')])]);
    expect(jira.issues).toHaveLength(1);
    const second = await first.reopen();
    cleanups.push(() => second.dispose());
    await second.commit([incident(2, 'members-changed', [member('c1'), member('c2')])]);
    await second.advance(1000);
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0]!.comments).toHaveLength(1);
    const searches = jira.server.requests.filter((r) => r.url.startsWith('/rest/api/3/search/jql'));
    expect(decodeURIComponent(searches.at(-1)!.url)).toContain(`labels = "${jira.issues[0]!.fields.labels[0]}"`);
  });

  it('never comments twice when a comment reply was lost and the delivery is retried', async () => {
    jira = await startFakeJira(auth);
    cleanups.push(() => jira.close());
    const h = await setup();
    await h.commit([incident(1, 'opened', [member('c1')])]);
    jira.loseNextCommentReply();
    await h.commit([incident(2, 'members-changed', [member('c1'), member('c2')])]);
    expect(h.delivery.stats()[0]).toMatchObject({ failedTemporary: 1 });
    await h.advance(60_000);
    expect(h.delivery.stats()[0]).toMatchObject({ sent: 2, queued: 0 });
    expect(jira.issues[0]!.comments).toHaveLength(1);
  });
});
