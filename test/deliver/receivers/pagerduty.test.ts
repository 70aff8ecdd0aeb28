/** PagerDuty receiver against a real local HTTP server speaking the Events API v2. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, startServer, status, type Harness, type RecordingServer } from '../support.js';
import type { IncidentEvent } from '../../../src/deliver/index.js';

const t0 = 1_700_000_000_000;
const accepted = status(202, { 'content-type': 'application/json' }, '{"status":"success","message":"Event processed"}');

describe('pagerduty receiver', () => {
  let h: Harness | undefined;
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await h?.dispose();
    await server?.close();
    h = undefined;
  });

  async function setup(): Promise<Harness> {
    server = await startServer(accepted);
    return harness({
      startAt: t0,
      env: { PD_KEY: 'R0UT1NGKEY' },
      delivery: {
        // Grouped by rule, yet PagerDuty gets one event per alert: it tracks alerts, not groups.
        receivers: [{ name: 'pager', type: 'pagerduty', routingKey: '${PD_KEY}', url: `${server.url}/v2/enqueue` }],
        route: { receiver: 'pager', groupBy: ['alertname'], groupWaitMs: 0, groupIntervalMs: 0 },
      },
    });
  }

  it('triggers with dedup_key = alert id and resolves the same dedup_key', async () => {
    h = await setup();
    await h.commit([alertEvent('disk', { cluster: 'c1' }, 'pending', 'firing', t0, 2, 99), alertEvent('disk', { cluster: 'c2' }, 'pending', 'firing', t0, 2, 98)]);
    await h.commit([alertEvent('disk', { cluster: 'c1' }, 'firing', 'resolved', t0 + 1000, 3, 50)]);
    await h.advance(60_000);
    const bodies = server!.requests.map((r) => r.json<Record<string, unknown>>());
    expect(server!.requests.every((r) => r.url === '/v2/enqueue')).toBe(true);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'alert/disk/cluster=c1',
      payload: {
        summary: 'disk (cluster=c1)',
        source: 'vigil',
        severity: 'critical',
        timestamp: new Date(t0).toISOString(),
        class: 'disk',
        group: 'c1',
        custom_details: { idempotency_key: 'alert/disk/cluster=c1#2', labels: { alertname: 'disk', severity: 'critical', cluster: 'c1' }, value: 99 },
      },
      client: 'Vigil',
    });
    expect(bodies[1]).toMatchObject({ event_action: 'trigger', dedup_key: 'alert/disk/cluster=c2' });
    expect(bodies[2]).toEqual({ routing_key: 'R0UT1NGKEY', event_action: 'resolve', dedup_key: 'alert/disk/cluster=c1' });
  });

  it('acknowledges an acknowledged incident on the incident dedup_key', async () => {
    h = await setup();
    const incident = (n: number, change: IncidentEvent['change']): IncidentEvent => ({
      kind: 'incident',
      seq: 1000 + n,
      id: `incident/kernel-oops#${n}`,
      incident: 'incident/kernel-oops',
      title: 'Kernel oops on 2 clusters',
      labels: { alertname: 'kernel_oops', signature: 'oops-42' },
      change,
      members: [
        { id: 'cluster/c1', labels: { cluster: 'c1' }, state: 'firing' },
        { id: 'cluster/c2', labels: { cluster: 'c2' }, state: 'firing' },
      ],
      severity: 'error',
      ts: t0,
    });
    await h.commit([incident(1, 'opened')]);
    await h.commit([incident(2, 'acknowledged')]);
    await h.advance(1000);
    const bodies = server!.requests.map((r) => r.json<Record<string, unknown>>());
    expect(bodies[0]).toMatchObject({ event_action: 'trigger', dedup_key: 'incident/kernel-oops', payload: { summary: 'Kernel oops on 2 clusters', severity: 'error', custom_details: { members: ['cluster/c1 (firing)', 'cluster/c2 (firing)'] } } });
    expect(bodies[1]).toEqual({ routing_key: 'R0UT1NGKEY', event_action: 'acknowledge', dedup_key: 'incident/kernel-oops' });
  });

  it('retries on 429 and archives a 400 invalid event', async () => {
    h = await setup();
    server!.respond(status(429));
    await h.commit([alertEvent('disk', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    server!.respond(status(400, {}, '{"status":"invalid event"}'));
    await h.advance(1000);
    expect(server!.requests).toHaveLength(2);
    expect(h.delivery.stats()[0]).toMatchObject({ failedTemporary: 1, failedPermanent: 1, archived: 1, retried: 1 });
    // The routing key is a secret: nowhere in what an operator can list.
    expect(JSON.stringify(h.delivery.list({ archived: true }))).not.toContain('R0UT1NGKEY');
  });
});
