/** Dispatcher policies with scripted receivers: per-receiver concurrency and rate limits, backoff, planning, unknown receivers. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultRetryPolicy, ReceiverUnavailableError, type DeliveryRequest, type Receiver } from '../../src/deliver/index.js';
import { backoffMs } from '../../src/deliver/backoff.js';
import { parseRetryAfter } from '../../src/deliver/receivers/index.js';
import { alertEvent, harness, type Harness } from './support.js';

const t0 = 1_700_000_000_000;

/** A receiver whose attempts stay open until the test settles them. */
function scripted(name: string, batches = false) {
  const open: Array<{ request: DeliveryRequest; resolve: () => void; reject: (e: Error) => void }> = [];
  const receiver: Receiver = {
    name,
    type: 'scripted',
    batches,
    send: (request, signal) =>
      new Promise<void>((resolve, reject) => {
        open.push({ request, resolve, reject });
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
  };
  return { receiver, open };
}

const ticks = async (n = 20): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** Waits for LMDB's background commits to land (real I/O, not dispatcher timers: those only move with the manual clock). */
async function until(condition: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5000, interval: 2 });
}

const config = (extra: Record<string, unknown>, route: Record<string, unknown> = {}) => ({
  receivers: [{ name: 'r', type: 'webhook', url: 'http://unused', ...extra }],
  route: { receiver: 'r', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0, ...route },
});

const firing = (cluster: string) => alertEvent('cpu', { cluster }, 'pending', 'firing', t0, 2);

describe('dispatcher', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    // Settle whatever a test left open so stop() does not wait on it.
    await h?.dispose();
    h = undefined;
  });

  it('keeps at most maxConcurrent attempts in flight per receiver', async () => {
    const s = scripted('r');
    h = await harness({ startAt: t0, delivery: config({ maxConcurrent: 2 }), receivers: new Map([['r', s.receiver]]) });
    // Committed like the engine does, without waiting for the (deliberately stuck) sends.
    const writes = h.delivery.plan(['c1', 'c2', 'c3', 'c4'].map(firing));
    await h.store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), writes });
    h.delivery.wake();
    await until(() => s.open.length === 2);
    await ticks();
    expect(s.open).toHaveLength(2);
    expect(h.delivery.stats()[0]).toMatchObject({ inFlight: 2, queued: 4 });
    s.open[0]!.resolve();
    await until(() => s.open.length === 3);
    for (const o of s.open.slice(1)) o.resolve();
    await until(() => s.open.length === 4);
    s.open[3]!.resolve();
    await h.delivery.idle();
    expect(h.delivery.stats()[0]).toMatchObject({ sent: 4, queued: 0, inFlight: 0 });
  });

  it('starts at most ratePerSecond attempts per second', async () => {
    const sent: string[] = [];
    const receiver: Receiver = { name: 'r', type: 'counting', batches: false, send: async (r) => void sent.push(r.key) };
    h = await harness({ startAt: t0, delivery: config({ ratePerSecond: 2, maxConcurrent: 10 }), receivers: new Map([['r', receiver]]) });
    await h.commit(['c1', 'c2', 'c3', 'c4', 'c5'].map(firing));
    expect(sent).toHaveLength(2);
    await h.advance(500);
    expect(sent).toHaveLength(3);
    await h.advance(500);
    expect(sent).toHaveLength(4);
    await h.advance(500);
    expect(sent).toHaveLength(5);
  });

  it('backs off exponentially up to the cap, with jitter inside its ratio', () => {
    const policy = { ...defaultRetryPolicy, initialBackoffMs: 1000, maxBackoffMs: 10_000, jitterRatio: 0.2 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, policy, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffMs(3, policy, () => 0)).toBe(3200);
    expect(backoffMs(3, policy, () => 1)).toBe(4800);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('plans only transitions people hear about, one outbox write per receiver', async () => {
    const receiver: Receiver = { name: 'r', type: 'noop', batches: false, send: async () => undefined };
    h = await harness({ startAt: t0, delivery: config({}), receivers: new Map([['r', receiver]]) });
    const events = [
      alertEvent('cpu', { cluster: 'c1' }, 'inactive', 'pending', t0, 1),
      alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2),
      alertEvent('cpu', { cluster: 'c2' }, 'pending', 'inactive', t0, 2),
      alertEvent('cpu', { cluster: 'c3' }, 'firing', 'resolved', t0, 5),
    ];
    const writes = h.delivery.plan(events);
    expect(writes.map((w) => w.key)).toEqual([
      ['p', 'r', 'root:{cluster="c1"}', t0, 'alert/cpu/cluster=c1#2'],
      ['p', 'r', 'root:{cluster="c3"}', t0, 'alert/cpu/cluster=c3#5'],
    ]);
    // Nothing is visible (or sent) before the batch commits.
    expect(h.delivery.list()).toEqual([]);
  });

  it('archives deliveries for a receiver that is no longer configured', async () => {
    const receiver: Receiver = { name: 'old', type: 'noop', batches: false, send: async () => undefined };
    const first = await harness({ startAt: t0, delivery: { receivers: [{ name: 'old', type: 'webhook', url: 'http://x' }], route: { receiver: 'old', groupWaitMs: 60_000 } }, receivers: new Map([['old', receiver]]) });
    await first.commit([firing('c1')]);
    await first.close();
    h = await harness({ startAt: t0, delivery: config({}), receivers: new Map([['r', receiver]]), dataDir: { path: first.dataDir, remove: () => void first.dispose() } });
    await h.advance(60_000);
    expect(h.delivery.list({ archived: true }).map((d) => [d.receiver, d.reason?.code])).toEqual([['old', 'DELIVERY_RECEIVER_UNKNOWN']]);
  });

  it('counts an unexpected receiver failure as temporary and retries it', async () => {
    let calls = 0;
    const receiver: Receiver = {
      name: 'r',
      type: 'flaky',
      batches: false,
      send: async () => {
        calls++;
        if (calls === 1) throw new TypeError('socket hang up');
        if (calls === 2) throw new ReceiverUnavailableError('r', 'busy', { retryAfterMs: 5000 });
      },
    };
    h = await harness({ startAt: t0, delivery: config({}), receivers: new Map([['r', receiver]]) });
    await h.commit([firing('c1')]);
    await h.advance(1000);
    expect(calls).toBe(2);
    await h.advance(4999);
    expect(calls).toBe(2);
    await h.advance(1);
    expect(h.delivery.stats()[0]).toMatchObject({ sent: 1, failedTemporary: 2, retried: 2 });
  });
});
