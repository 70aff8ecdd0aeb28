/** Alertmanager receiver against a real local HTTP server standing in for POST /api/v2/alerts. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, startServer, type Harness, type RecordingServer } from '../support.js';

const t0 = 1_700_000_000_000;

describe('alertmanager receiver', () => {
  let h: Harness | undefined;
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await h?.dispose();
    await server?.close();
    h = undefined;
  });

  it('posts postable alerts with the transition key annotated, endsAt only when resolved', async () => {
    server = await startServer();
    h = await harness({
      startAt: t0,
      env: { AM_TOKEN: 'tok' },
      delivery: {
        receivers: [{ name: 'am', type: 'alertmanager', url: `${server.url}/`, bearerToken: '${AM_TOKEN}', generatorUrl: 'http://vigil/rules/cpu' }],
        route: { receiver: 'am', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0 },
      },
    });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'firing', 'resolved', t0 + 5000, 3)]);
    await h.advance(1000);
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['POST', '/api/v2/alerts', 'Bearer tok'],
      ['POST', '/api/v2/alerts', 'Bearer tok'],
    ]);
    expect(server.requests[0]!.json()).toEqual([
      {
        labels: { alertname: 'cpu', severity: 'critical', cluster: 'c1' },
        annotations: { vigil_idempotency_key: 'alert/cpu/cluster=c1#2' },
        startsAt: new Date(t0).toISOString(),
        generatorURL: 'http://vigil/rules/cpu',
      },
    ]);
    expect(server.requests[1]!.json()).toEqual([
      {
        labels: { alertname: 'cpu', severity: 'critical', cluster: 'c1' },
        annotations: { vigil_idempotency_key: 'alert/cpu/cluster=c1#3' },
        startsAt: new Date(t0).toISOString(),
        endsAt: new Date(t0 + 5000).toISOString(),
        generatorURL: 'http://vigil/rules/cpu',
      },
    ]);
  });
});
