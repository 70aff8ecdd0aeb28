/** Regression: a resolve must never be flushed before the firing it ends, however a limit cuts the pending records. */
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingRecord } from '../../src/deliver/model.js';
import { Outbox } from '../../src/deliver/outbox.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../support/temp-dir.js';

describe('outbox pending order', () => {
  const dir = tempDir('vigil-outbox-order-');
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    dir.remove();
  });

  it('reads the last commit whole when a limit would cut it, because within a commit keys sort by text (#1003 before #998)', async () => {
    store = Store.open({ dataDir: dir.path });
    const outbox = new Outbox(store.openTable('outbox-test'), store.openTable('archive-test'));
    const pending = (seq: number, status: 'firing' | 'resolved', createdAt: number): PendingRecord =>
      ({
        kind: 'pending',
        v: 1,
        receiver: 'pager',
        route: 'default',
        groupKey: 'node=n17',
        groupLabels: { node: 'n17' },
        policy: {},
        createdAt,
        notification: { key: `alert/spike/node=n17#${seq}`, seq, subject: 'alert/spike/node=n17', kind: 'alert', status, labels: {}, annotations: {}, title: 'spike', value: 1, startsAt: seq },
      }) as unknown as PendingRecord;
    // One commit (same createdAt) planned the firing #998 and its resolve #1003; a later commit the next firing.
    const writes = [pending(998, 'firing', 100), pending(1003, 'resolved', 100), pending(1010, 'firing', 200)].map((p) => outbox.pendingWrite(p));
    await store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), writes });
    expect(outbox.readGroupPending('pager', 'node=n17', 1).map((p) => p.notification.seq).sort((a, b) => a - b)).toEqual([998, 1003]);
    expect(outbox.readGroupPending('pager', 'node=n17').map((p) => p.notification.seq).sort((a, b) => a - b)).toEqual([998, 1003, 1010]);
  });
});
