/** S6: notifications survive flaky receivers: retried with backoff, archived past max age, never blocking other receivers. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, deadUrl, harness, ok, startServer, status, type Harness, type RecordingServer } from '../support.js';

const retry = { initialBackoffMs: 1000, maxBackoffMs: 60_000, backoffMultiplier: 2, jitterRatio: 0, maxAgeMs: 600_000 };

function webhookConfig(url: string, extra: Record<string, unknown> = {}) {
  return {
    retry,
    receivers: [{ name: 'hook', type: 'webhook', url, ...extra }],
    route: { receiver: 'hook', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0 },
  };
}

describe('S6 flaky receivers', () => {
  let h: Harness | undefined;
  const servers: RecordingServer[] = [];
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
    for (const s of servers.splice(0)) await s.close();
  });

  it('retries a receiver that is down for a while and delivers once when it is back', async () => {
    const server = await startServer(status(503));
    servers.push(server);
    h = await harness({ delivery: webhookConfig(server.url) });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    expect(server.requests).toHaveLength(1);
    await h.advance(1000); // backoff 1 s
    await h.advance(2000); // backoff 2 s
    expect(server.requests).toHaveLength(3);
    server.respond(ok);
    await h.advance(3999);
    expect(server.requests).toHaveLength(3); // the next attempt is due 4 s after the last failure
    await h.advance(1);
    expect(server.requests).toHaveLength(4);
    await h.advance(3_600_000);
    expect(server.requests).toHaveLength(4);
    const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']));
    expect(keys).toEqual(new Set(['alert/cpu/cluster=c1#2']));
    const [stats] = h.delivery.stats();
    expect(stats).toMatchObject({ receiver: 'hook', sent: 1, failedTemporary: 3, retried: 3, archived: 0, queued: 0 });
    expect(h.delivery.list()).toEqual([]);
  });

  it('archives a notification that stays undeliverable past its max age instead of sending it late', async () => {
    const server = await startServer(status(502));
    servers.push(server);
    h = await harness({ delivery: webhookConfig(server.url, { maxAgeMs: 10_000 }) });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    await h.advance(10_000);
    const attempts = server.requests.length;
    expect(attempts).toBe(4); // at 0, 1 s, 3 s, 7 s; the next (15 s) would be past max age
    server.respond(ok);
    await h.advance(3_600_000);
    expect(server.requests).toHaveLength(attempts);
    const archived = h.delivery.list({ archived: true });
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({ id: 'hook:alert/cpu/cluster=c1#2', state: 'archived', attempts: 4, reason: { code: 'DELIVERY_EXPIRED' } });
    expect(archived[0]!.reason!.message).toContain('HTTP 502');
    expect(h.delivery.stats()[0]).toMatchObject({ archived: 1, sent: 0 });

    // An operator retries it: it goes out once, with the same idempotency key.
    await h.delivery.retry('hook:alert/cpu/cluster=c1#2');
    await h.delivery.idle();
    expect(server.requests).toHaveLength(attempts + 1);
    expect(server.requests.at(-1)!.headers['idempotency-key']).toBe('alert/cpu/cluster=c1#2');
    expect(h.delivery.list({ archived: true })).toEqual([]);
  });

  it('archives a permanently rejected delivery at once, with the reason', async () => {
    const server = await startServer(status(400, {}, 'bad payload'));
    servers.push(server);
    h = await harness({ delivery: webhookConfig(server.url) });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    await h.advance(60_000);
    expect(server.requests).toHaveLength(1);
    const [archived] = h.delivery.list({ archived: true });
    expect(archived).toMatchObject({ reason: { code: 'DELIVERY_REJECTED', message: 'receiver hook: HTTP 400: bad payload' } });
    expect(h.delivery.stats()[0]).toMatchObject({ failedPermanent: 1, archived: 1 });
  });

  it('honours Retry-After on a 429', async () => {
    const server = await startServer(status(429, { 'retry-after': '30' }));
    servers.push(server);
    h = await harness({ delivery: webhookConfig(server.url) });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    server.respond(ok);
    await h.advance(29_999);
    expect(server.requests).toHaveLength(1);
    await h.advance(1);
    expect(server.requests).toHaveLength(2);
    expect(h.delivery.stats()[0]).toMatchObject({ sent: 1, failedTemporary: 1 });
  });

  it('keeps a resolve behind its trigger while the trigger is retried', async () => {
    const server = await startServer(status(503));
    servers.push(server);
    h = await harness({ delivery: webhookConfig(server.url) });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'firing', 'resolved', 2000, 3)]);
    expect(server.requests).toHaveLength(1);
    server.respond(ok);
    await h.advance(1000);
    await h.advance(1000);
    const statuses = server.requests.slice(1).map((r) => r.json<{ status: string }>().status);
    expect(statuses).toEqual(['firing', 'resolved']);
  });

  it('a receiver that is down never holds up the others', async () => {
    const up = await startServer();
    servers.push(up);
    const down = await deadUrl();
    h = await harness({
      delivery: {
        retry,
        receivers: [
          { name: 'down', type: 'webhook', url: down },
          { name: 'up', type: 'webhook', url: up.url },
        ],
        route: { receiver: 'up', groupWaitMs: 0, groupIntervalMs: 0, routes: [{ matchers: ['cluster=~".+"'], receiver: 'down', continue: true }, { receiver: 'up' }] },
      },
    });
    for (let i = 0; i < 5; i++) await h.commit([alertEvent('cpu', { cluster: `c${i}` }, 'pending', 'firing', 1000, 2)]);
    expect(up.requests).toHaveLength(5);
    const stats = Object.fromEntries(h.delivery.stats().map((s) => [s.receiver, s]));
    expect(stats.up).toMatchObject({ sent: 5, queued: 0 });
    expect(stats.down).toMatchObject({ sent: 0, queued: 5, lastError: { code: 'DELIVERY_TEMPORARY' } });
    expect(stats.down!.lastError!.message).not.toContain('127.0.0.1');
  });
});
