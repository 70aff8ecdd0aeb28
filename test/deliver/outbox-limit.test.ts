/** The outbox size limit: a receiver that stays down fills only its own share; the batch commit never fails because of it. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, switchableReceiver as switchable, type Harness } from './support.js';

const t0 = 1_700_000_000_000;

const config = (receivers: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
  ...extra,
  retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0 },
  receivers: receivers.map((r) => ({ type: 'webhook', url: 'http://unused', ...r })),
  route: { receiver: receivers[0]!.name, groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0, routes: receivers.length > 1 ? receivers.map((r) => ({ receiver: r.name, continue: true })) : [] },
});

const fire = (cluster: string, n = 2) => alertEvent('cpu', { cluster }, 'pending', 'firing', t0, n);
const resolve = (cluster: string, n = 3) => alertEvent('cpu', { cluster }, 'firing', 'resolved', t0, n);

describe('outbox size limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('archives new firing notifications with OUTBOX_FULL once a receiver has maxOutboxEntries queued, and reports it', async () => {
    const pager = switchable('pager');
    h = await harness({ startAt: t0, delivery: config([{ name: 'pager', maxOutboxEntries: 3 }]), receivers: new Map([['pager', pager.receiver]]) });
    await h.commit(['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => fire(c)));
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 3, outboxFull: 2, maxOutboxEntries: 3, outboxFullSince: t0 });
    expect(h.delivery.list({ archived: true }).map((d) => [d.id, d.reason?.code, d.attempts])).toEqual([
      ['pager:alert/cpu/cluster=c4#2', 'OUTBOX_FULL', 0],
      ['pager:alert/cpu/cluster=c5#2', 'OUTBOX_FULL', 0],
    ]);
  });

  it('still queues resolves up to twice the limit, so what was announced is also closed', async () => {
    const pager = switchable('pager');
    h = await harness({ startAt: t0, delivery: config([{ name: 'pager', maxOutboxEntries: 2 }]), receivers: new Map([['pager', pager.receiver]]) });
    await h.commit([fire('c1'), fire('c2')]);
    await h.commit([fire('c3'), resolve('c1'), resolve('c2'), resolve('c3', 9)]);
    expect(h.delivery.list({ archived: true }).map((d) => d.key)).toEqual(['alert/cpu/cluster=c3#2', 'alert/cpu/cluster=c3#9']);
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 4, outboxFull: 2 });

    pager.state.down = false;
    await h.advance(1000);
    expect(pager.state.seen.map((r) => r.key).sort()).toEqual(['alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c1#3', 'alert/cpu/cluster=c2#2', 'alert/cpu/cluster=c2#3']);
    // Room again: the health signal clears and new notifications queue as usual.
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 0 });
    expect(h.delivery.stats()[0]!.outboxFullSince).toBeUndefined();
    await h.commit([fire('c4')]);
    expect(pager.state.seen.map((r) => r.key)).toContain('alert/cpu/cluster=c4#2');
  });

  it('fills only the share of the receiver that is down', async () => {
    const pager = switchable('pager');
    const chat = switchable('chat');
    chat.state.down = false;
    h = await harness({
      startAt: t0,
      delivery: config([{ name: 'pager', maxOutboxEntries: 1 }, { name: 'chat', maxOutboxEntries: 1 }]),
      receivers: new Map([
        ['pager', pager.receiver],
        ['chat', chat.receiver],
      ]),
    });
    for (const c of ['c1', 'c2', 'c3']) await h.commit([fire(c)]);
    expect(chat.state.seen.map((r) => r.key)).toEqual(['alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c2#2', 'alert/cpu/cluster=c3#2']);
    expect(h.delivery.stats().map((s) => [s.receiver, s.queued, s.outboxFull])).toEqual([
      ['chat', 0, 0],
      ['pager', 1, 2],
    ]);
  });

  it('takes the default from delivery.maxOutboxEntries and ignores a plan whose commit failed', async () => {
    const pager = switchable('pager');
    h = await harness({ startAt: t0, delivery: config([{ name: 'pager' }], { maxOutboxEntries: 2 }), receivers: new Map([['pager', pager.receiver]]) });
    // Planned but never committed (the batch commit failed), then woken by mistake: nothing is counted.
    h.delivery.plan([fire('x1'), fire('x2')]);
    h.delivery.wake();
    await h.commit([fire('c1'), fire('c2'), fire('c3')]);
    expect(h.delivery.stats()[0]).toMatchObject({ queued: 2, outboxFull: 1, maxOutboxEntries: 2 });
  });
});
