/**
 * Crash harness: a driver feeds numbered batches to `vigil serve` in a child
 * process and SIGKILLs it at random moments — mid-batch, between batches,
 * with `for` deadlines pending — then restarts it and re-sends every batch
 * not yet acknowledged. The alert event log, the actor state and the planned
 * notifications (outbox and archive, by idempotency key and content; the
 * receiver stays down so they stay put) must equal those of an uninterrupted
 * in-process run: nothing lost, nothing duplicated, same order.
 * `npm run test:crash` runs the long version.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connect, type DataPointMsg } from '../../src/api/index.js';
import { ManualClock } from '../../src/core/index.js';
import { Engine } from '../../src/engine.js';
import { tempDir } from '../support/temp-dir.js';
import { startServe, type ServerProcess } from '../support/vigil-process.js';
import { offlineDelivery, onlyIn, plannedNotifications, writeCrashConfig } from './outbox-view.js';
import { batches, crashRules, type WorkloadOptions } from './workload.js';

const long = process.env.VIGIL_CRASH_LONG === '1';
const workload: WorkloadOptions = long ? { batches: 600, nodes: 40, perNode: 25, seed: 11 } : { batches: 160, nodes: 30, perNode: 20, seed: 7 };
const minKills = long ? 60 : 20;

interface Snapshot {
  events: unknown[];
  actors: unknown[];
  notifications: string[];
}

async function referenceRun(dir: string, all: DataPointMsg[][]): Promise<Snapshot> {
  const engine = Engine.open({ dataDir: dir, clock: new ManualClock(0) });
  // Planned into the outbox as `vigil serve` does; nothing is sent.
  const delivery = offlineDelivery(engine.store);
  engine.setCommitHook({ plan: (events) => delivery.plan(events), committed: () => delivery.wake() });
  await engine.applyRules(crashRules);
  for (const points of all) await engine.ingest('grpc:driver', points.map((p) => ({ name: p.name, tags: p.tags, value: p.value, ts: p.tsMs })));
  const result = await snapshot(engine);
  await engine.close();
  return result;
}

async function snapshot(engine: Engine): Promise<Snapshot> {
  const events = engine.readEvents(0, 1_000_000).map((e) => ({ seq: e.seq, id: e.id, from: e.from, to: e.to, ts: e.ts, value: e.value }));
  const actors = [...engine.store.actors.getRange()].map(({ value }) => ({ id: value.id, state: value.snapshot.state, context: value.snapshot.context, transitions: value.transitions }));
  return { events, actors, notifications: await plannedNotifications(engine.store) };
}

/** Seeded so a failing run can be repeated with VIGIL_CRASH_SEED. */
function killSchedule(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 22695477 + 1) >>> 0;
    return 30 + (s % 350);
  };
}

describe('crash recovery', () => {
  const dir = tempDir('vigil-crash-');
  afterAll(() => dir.remove());

  it(`keeps the alert log and actor state exact through at least ${minKills} SIGKILLs`, async () => {
    const all = [...batches(workload)];
    const reference = await referenceRun(join(dir.path, 'reference'), all);
    expect(reference.events.length).toBeGreaterThan(50);
    expect(reference.notifications.length).toBeGreaterThan(20);
    const config = writeCrashConfig(dir.path);

    const dataDir = join(dir.path, 'crashed');
    const seed = Number(process.env.VIGIL_CRASH_SEED ?? 1234);
    const nextDelay = killSchedule(seed);
    let acked = 0; // batches [0, acked) are acknowledged, hence durable
    let kills = 0;
    let midCall = 0; // kills that cut an ingest call before its acknowledgement
    let rulesApplied = false;
    let server: ServerProcess | undefined;
    try {
      while (acked < all.length || kills < minKills) {
        server = await startServe(dataDir, ['--config', config]);
        const clients = connect(server.address);
        if (!rulesApplied) {
          await call(clients.rules, 'applyRules', { source: crashRules });
          rulesApplied = true;
        }
        const victim = server;
        const timer = setTimeout(() => void victim.kill('SIGKILL'), nextDelay());
        try {
          // Re-send from the first unacknowledged batch; the server recognises the ones it already applied.
          while (acked < all.length) {
            await call(clients.ingest, 'ingestBatch', { producerId: 'driver', batchId: acked, points: all[acked] }, 10_000);
            acked++;
          }
          // All acknowledged: keep killing idle servers until the minimum is reached.
          await victim.kill('SIGKILL');
        } catch {
          // The kill cut the call; whatever was not acknowledged is sent again after the restart.
          midCall++;
        } finally {
          clearTimeout(timer);
          clients.close();
          await victim.kill('SIGKILL');
        }
        kills++;
      }
    } finally {
      await server?.kill('SIGKILL');
    }

    const engine = Engine.open({ dataDir, clock: new ManualClock(0) });
    const crashed = await snapshot(engine);
    await engine.close();
    process.stdout.write(`crash harness: ${kills} kills (${midCall} mid-call), ${all.length} batches, ${reference.events.length} alert events, ${reference.notifications.length} notifications, seed ${seed}\n`);
    expect(kills).toBeGreaterThanOrEqual(minKills);
    expect(midCall).toBeGreaterThan(0);
    expect(crashed.events).toEqual(reference.events);
    expect(crashed.actors).toEqual(reference.actors);
    if (process.env.VIGIL_CRASH_DUMP) {
      writeFileSync(join(process.env.VIGIL_CRASH_DUMP, 'reference.txt'), reference.notifications.join('\n'));
      writeFileSync(join(process.env.VIGIL_CRASH_DUMP, 'crashed.txt'), crashed.notifications.join('\n'));
    }
    expect(onlyIn(crashed.notifications, reference.notifications), 'planned after the crashes, not in the reference run').toEqual([]);
    expect(onlyIn(reference.notifications, crashed.notifications), 'planned in the reference run, lost in the crashes').toEqual([]);
    expect(crashed.notifications).toEqual(reference.notifications);
  }, long ? 1_800_000 : 300_000);
});
