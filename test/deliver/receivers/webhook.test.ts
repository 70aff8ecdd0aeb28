/** Webhook receiver against a real local HTTP server: Alertmanager webhook JSON v4, HMAC signature, idempotency key. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, startServer, type Harness, type RecordingServer } from '../support.js';

const t0 = 1_700_000_000_000;

describe('webhook receiver', () => {
  let h: Harness | undefined;
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await h?.dispose();
    await server?.close();
    h = undefined;
  });

  it('sends a group as Alertmanager webhook JSON v4, signed with HMAC-SHA256 over the exact body', async () => {
    server = await startServer();
    h = await harness({
      startAt: t0,
      env: { HOOK_SECRET: 's3cret' },
      delivery: {
        receivers: [{ name: 'ops', type: 'webhook', url: `${server.url}/hook`, hmacSecret: '${HOOK_SECRET}', externalUrl: 'http://vigil.example' }],
        route: { receiver: 'ops', groupBy: ['alertname'], groupWaitMs: 10_000, groupIntervalMs: 60_000 },
      },
    });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0 - 5000, 2, 97.5), alertEvent('cpu', { cluster: 'c2' }, 'pending', 'firing', t0 - 4000, 2, 91)]);
    await h.advance(9_999);
    expect(server.requests).toHaveLength(0); // group wait
    await h.advance(1);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-vigil-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(req.body).digest('hex')}`);
    expect(req.headers['idempotency-key']).toMatch(/^group\/[0-9a-f]{24}$/);
    expect(req.json()).toEqual({
      version: '4',
      groupKey: 'root:{alertname="cpu"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'ops',
      groupLabels: { alertname: 'cpu' },
      commonLabels: { alertname: 'cpu', severity: 'critical' },
      commonAnnotations: {},
      externalURL: 'http://vigil.example',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'cpu', severity: 'critical', cluster: 'c1' },
          annotations: {},
          startsAt: new Date(t0 - 5000).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil.example',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
        {
          status: 'firing',
          labels: { alertname: 'cpu', severity: 'critical', cluster: 'c2' },
          annotations: {},
          startsAt: new Date(t0 - 4000).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil.example',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
    });

    // c1 resolves: after the group interval the group is sent again, c1 resolved (with its original start), c2 still firing.
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'firing', 'resolved', t0 + 20_000, 3, 10)]);
    await h.advance(50_000);
    expect(server.requests).toHaveLength(1);
    await h.advance(10_000);
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.json<{ status: string; alerts: Array<{ status: string; labels: { cluster: string }; startsAt: string; endsAt: string; fingerprint: string }> }>();
    expect(second.status).toBe('firing');
    expect(second.alerts.map((a) => [a.labels.cluster, a.status, a.startsAt, a.endsAt])).toEqual([
      ['c2', 'firing', new Date(t0 - 4000).toISOString(), '0001-01-01T00:00:00Z'],
      ['c1', 'resolved', new Date(t0 - 5000).toISOString(), new Date(t0 + 20_000).toISOString()],
    ]);
    // A fingerprint names the alert, not the transition, so consumers can pair firing and resolved.
    const first = req.json<{ alerts: Array<{ fingerprint: string }> }>();
    expect(second.alerts[1]!.fingerprint).toBe(first.alerts[0]!.fingerprint);
  });

  it('reminds of a still-firing alert every repeat interval with a new key per reminder', async () => {
    server = await startServer();
    h = await harness({
      startAt: t0,
      delivery: { receivers: [{ name: 'ops', type: 'webhook', url: server.url }], route: { receiver: 'ops', groupBy: ['cluster'], groupWaitMs: 0, repeatIntervalMs: 3_600_000 } },
    });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    await h.advance(3 * 3_600_000);
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c1#2~repeat1', 'alert/cpu/cluster=c1#2~repeat2', 'alert/cpu/cluster=c1#2~repeat3']);
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'firing', 'resolved', t0, 3)]);
    await h.advance(300_000); // group interval
    await h.advance(10 * 3_600_000);
    expect(server.requests).toHaveLength(5);
    expect(server.requests[4]!.json<{ status: string }>().status).toBe('resolved');
  });

  it('does not send resolved notifications when the route says sendResolved: false', async () => {
    server = await startServer();
    h = await harness({
      startAt: t0,
      delivery: { receivers: [{ name: 'ops', type: 'webhook', url: server.url }], route: { receiver: 'ops', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0, sendResolved: false } },
    });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'firing', 'resolved', t0, 3)]);
    await h.advance(24 * 3_600_000);
    expect(server.requests).toHaveLength(1);
    expect(h.delivery.list()).toEqual([]);
  });
});
