/** The dispatcher holds a window of each receiver's queue, not the whole outbox: order and counts still hold, and an older data directory still loads. */
import type { Key } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../support/temp-dir.js';
import { alertEvent, harness, switchableReceiver as recorder, type Harness } from './support.js';

const t0 = 1_700_000_000_000;

const config = {
  retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0 },
  receivers: [{ name: 'pager', type: 'webhook', url: 'http://unused', maxConcurrent: 3 }],
  route: { receiver: 'pager', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0 },
};

describe('paged outbox', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('sends a queue many times larger than its window, each alert in transition order', async () => {
    const pager = recorder('pager');
    h = await harness({ startAt: t0, delivery: config, receivers: new Map([['pager', pager.receiver]]), windowPerReceiver: 4 });
    const clusters = Array.from({ length: 12 }, (_, i) => `c${i}`);
    // Each alert fires, resolves and fires again while the receiver is down: 36 deliveries, 3 per lane.
    for (const [n, from, to] of [
      [2, 'pending', 'firing'],
      [3, 'firing', 'resolved'],
      [5, 'pending', 'firing'],
    ] as const) {
      await h.commit(clusters.map((c) => alertEvent('cpu', { cluster: c }, from, to, t0, n)));
      await h.advance(10);
    }
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 36, waiting: 0 });
    expect(h.delivery.list({ limit: 1000 })).toHaveLength(36);

    pager.state.down = false;
    await h.advance(1000);
    const keys = pager.state.seen.map((r) => r.key);
    expect(keys).toHaveLength(36);
    expect(new Set(keys).size).toBe(36);
    for (const c of clusters) expect(keys.filter((k) => k.includes(`cluster=${c}#`))).toEqual([2, 3, 5].map((n) => `alert/cpu/cluster=${c}#${n}`));
    expect(h.delivery.stats()[0]).toMatchObject({ sent: 36, queued: 0 });
  });

  it('after a restart, picks up a large queue a window at a time', async () => {
    const dir = tempDir('vigil-deliver-');
    const pager = recorder('pager');
    const first = await harness({ startAt: t0, delivery: config, receivers: new Map([['pager', pager.receiver]]), windowPerReceiver: 3, dataDir: dir });
    await first.commit(Array.from({ length: 20 }, (_, i) => alertEvent('cpu', { cluster: `c${i}` }, 'pending', 'firing', t0, 2)));
    await first.close();
    pager.state.down = false;
    h = await harness({ startAt: t0 + 5000, delivery: config, receivers: new Map([['pager', pager.receiver]]), windowPerReceiver: 3, dataDir: dir });
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 20 });
    await h.advance(10);
    expect(pager.state.seen).toHaveLength(20);
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 0 });
  });

  it('groups by labels too long for an LMDB key', async () => {
    const pager = recorder('pager', true);
    pager.state.down = false;
    h = await harness({ startAt: t0, delivery: { ...config, route: { ...config.route, groupBy: ['...'] } }, receivers: new Map([['pager', pager.receiver]]) });
    const long = 'x'.repeat(3000);
    // The evaluator shortens such an alert's id (a digest); its labels stay whole.
    const event = (from: 'pending' | 'firing', to: 'firing' | 'resolved', n: number) => ({ ...alertEvent('cpu', { cluster: 'c1', detail: long }, from, to, t0, n), alert: 'alert/cpu/sha256:ab12', id: `alert/cpu/sha256:ab12#${n}` });
    await h.commit([event('pending', 'firing', 2)]);
    await h.commit([event('firing', 'resolved', 3)]);
    expect(pager.state.seen.map((r) => [r.key, r.groupLabels.detail?.length])).toEqual([
      ['alert/cpu/sha256:ab12#2', 3000],
      ['alert/cpu/sha256:ab12#3', 3000],
    ]);
  });

  it('reads an outbox written in the first layout (pending keyed by receiver and key, no queue index)', async () => {
    const dir = tempDir('vigil-deliver-');
    const store = Store.open({ dataDir: dir.path });
    const table = store.openTable<unknown, Key>('outbox');
    const notification = (cluster: string, n: number) => ({
      key: `alert/cpu/cluster=${cluster}#${n}`,
      seq: n,
      subject: `alert/cpu/cluster=${cluster}`,
      kind: 'alert',
      status: 'firing',
      labels: { alertname: 'cpu', severity: 'critical', cluster },
      annotations: {},
      title: `cpu (cluster=${cluster})`,
      value: 1,
      startsAt: t0,
    });
    const policy = { groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true };
    const n1 = notification('c1', 2);
    const n2 = notification('c2', 2);
    await table.put(['p', 'pager', n1.key], { kind: 'pending', v: 1, receiver: 'pager', route: 'root', groupKey: 'root:{cluster="c1"}', groupLabels: { cluster: 'c1' }, policy, notification: n1, createdAt: t0 });
    await table.put(['d', `pager:${n2.key}`], {
      kind: 'delivery',
      v: 1,
      id: `pager:${n2.key}`,
      receiver: 'pager',
      key: n2.key,
      groupKey: 'root:{cluster="c2"}',
      groupLabels: { cluster: 'c2' },
      lane: `pager|${n2.subject}`,
      order: [t0, 2],
      repeat: false,
      notifications: [n2],
      createdAt: t0,
      attempts: 1,
      nextAttemptAt: t0,
    });
    await store.close();

    const pager = recorder('pager');
    pager.state.down = false;
    h = await harness({ startAt: t0 + 1000, delivery: config, receivers: new Map([['pager', pager.receiver]]), dataDir: dir });
    await h.advance(10);
    expect(pager.state.seen.map((r) => r.key).sort()).toEqual([n1.key, n2.key]);
    expect(h.delivery.list()).toEqual([]);
  });
});

describe('flushing while batches commit', () => {
  it('never flushes a newer batch before an older one, whatever a flush overlaps with', async () => {
    const pager = recorder('pager');
    const h = await harness({ startAt: t0, delivery: { ...config, route: { ...config.route, groupWaitMs: 1000 } }, receivers: new Map([['pager', pager.receiver]]) });
    try {
      // Many groups fall due at once, so the flush pass awaits many writes in a row ...
      await h.commit(Array.from({ length: 200 }, (_, i) => alertEvent('mem', { cluster: `x${i}` }, 'pending', 'firing', t0, 2)));
      await h.commit([alertEvent('cpu', { cluster: 'g' }, 'pending', 'firing', t0, 2)]);
      // ... and starts while the next batch is committed but not yet announced.
      const commit = async (writes: ReturnType<typeof h.delivery.plan>) => h.store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), writes });
      await commit(h.delivery.plan([alertEvent('cpu', { cluster: 'g' }, 'firing', 'resolved', t0 + 100, 3)]));
      h.scheduler.advance(1000);
      h.delivery.wake();
      // The batch after it commits while that flush pass is still going.
      await commit(h.delivery.plan([alertEvent('cpu', { cluster: 'g' }, 'pending', 'firing', t0 + 200, 4)]));
      h.delivery.wake();
      await h.delivery.idle();
      pager.state.down = false;
      await h.advance(60_000);
      const g = pager.state.seen.filter((r) => r.key.includes('cluster=g')).map((r) => r.notifications[0]!);
      // Had the newer firing been flushed before the resolve, it would look like the old episode going on (startsAt t0).
      expect(g.map((n) => [n.key, n.status, n.startsAt])).toEqual([
        ['alert/cpu/cluster=g#2', 'firing', t0],
        ['alert/cpu/cluster=g#3', 'resolved', t0],
        ['alert/cpu/cluster=g#4', 'firing', t0 + 200],
      ]);
    } finally {
      await h.dispose();
    }
  });
});
