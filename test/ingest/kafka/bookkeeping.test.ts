import { describe, expect, it } from 'vitest';
import { AssignmentTracker } from '../../../src/ingest/kafka/assignment.js';
import { BackPressure } from '../../../src/ingest/kafka/back-pressure.js';
import { Backoff } from '../../../src/ingest/kafka/backoff.js';
import { HealthState } from '../../../src/ingest/kafka/health.js';
import { withHeartbeats } from '../../../src/ingest/kafka/heartbeat.js';
import { LagTracker } from '../../../src/ingest/kafka/lag.js';
import { ManualScheduler } from '../../../src/ingest/kafka/scheduler.js';
import { SerialByKey } from '../../../src/ingest/kafka/serial-by-key.js';
import { deferred } from './support.js';

describe('assignment tracking (kafkajs #1046 guard)', () => {
  it('lets a batch commit only while its generation still owns the partition', () => {
    const t = new AssignmentTracker();
    const first = t.join({ points: [0, 1] });
    expect(t.mayCommit('points', 0, first.generation)).toBe(true);
    const second = t.join({ points: [1, 2] });
    expect(second.revoked).toEqual([{ topic: 'points', partition: 0 }]);
    expect(t.mayCommit('points', 0, second.generation)).toBe(false);
    expect(t.mayCommit('points', 1, first.generation)).toBe(false);
    expect(t.mayCommit('points', 1, second.generation)).toBe(true);
  });

  it('commits nothing between a rebalance notice and the next join', () => {
    const t = new AssignmentTracker();
    t.join({ points: [0] });
    t.unsettle();
    expect(t.mayCommit('points', 0, t.generation)).toBe(false);
    const again = t.join({ points: [0] });
    expect(t.mayCommit('points', 0, again.generation)).toBe(true);
    t.clear();
    expect(t.assigned()).toEqual([]);
  });

  it('groups the assignment by topic for pause and resume', () => {
    const t = new AssignmentTracker();
    t.join({ b: [3, 1], a: [0] });
    expect(t.byTopic()).toEqual([
      { topic: 'b', partitions: [1, 3] },
      { topic: 'a', partitions: [0] },
    ]);
  });
});

describe('back-pressure', () => {
  it('pauses when too many points wait for their commit and resumes below half', () => {
    const bp = new BackPressure({ maxInFlightPoints: 100, maxInFlightBatches: 10 });
    expect(bp.admit(60)).toBeUndefined();
    expect(bp.admit(60)).toBe('pause');
    expect(bp.admit(10)).toBeUndefined();
    expect(bp.release(60)).toBeUndefined();
    expect(bp.release(10)).toBeUndefined();
    expect(bp.release(60)).toBe('resume');
    expect(bp.paused).toBe(false);
  });

  it('pauses on the number of batches too', () => {
    const bp = new BackPressure({ maxInFlightPoints: 1_000_000, maxInFlightBatches: 2 });
    expect(bp.admit(1)).toBeUndefined();
    expect(bp.admit(1)).toBe('pause');
    expect(bp.release(1)).toBe('resume');
  });
});

describe('lag', () => {
  it('is the head minus the next offset committed with state, per partition', () => {
    const lag = new LagTracker();
    lag.head('kafka:p/0', 100);
    lag.position('kafka:p/0', 40);
    lag.head('kafka:p/1', 5);
    lag.position('kafka:p/2', 3);
    expect(lag.snapshot()).toEqual({ 'kafka:p/0': 60, 'kafka:p/1': 5 });
    lag.retain(new Set(['kafka:p/1']));
    expect(lag.snapshot()).toEqual({ 'kafka:p/1': 5 });
  });
});

describe('reconnect backoff', () => {
  it('doubles up to the ceiling with jitter and starts over after a success', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(new Backoff({ initialMs: 100, random: () => 0 }).next()).toBe(50);
    expect(b.next()).toBe(100);
  });
});

describe('heartbeats during a long commit', () => {
  it('beats every interval until the work is done, then stops', async () => {
    const s = new ManualScheduler();
    const work = deferred<string>();
    let beats = 0;
    const done = withHeartbeats(work.promise, async () => void beats++, 1000, s);
    for (let i = 0; i < 3; i++) {
      s.advance(1000);
      await Promise.resolve();
    }
    expect(beats).toBe(3);
    work.resolve('ok');
    await expect(done).resolves.toEqual({ value: 'ok' });
    expect(s.pending).toBe(0);
  });

  it('reports a failed heartbeat after the work finished instead of abandoning it', async () => {
    const s = new ManualScheduler();
    const work = deferred<number>();
    const rebalancing = new Error('rebalance in progress');
    const done = withHeartbeats(work.promise, () => Promise.reject(rebalancing), 10, s);
    s.advance(10);
    await Promise.resolve();
    work.resolve(1);
    await expect(done).resolves.toEqual({ value: 1, heartbeatError: { error: rebalancing } });
  });
});

describe('serial work per partition', () => {
  it('runs one key at a time in order and keys independently', async () => {
    const serial = new SerialByKey();
    const log: string[] = [];
    const a1 = deferred<void>();
    const first = serial.run('a', async () => {
      await a1.promise;
      log.push('a1');
    });
    const second = serial.run('a', async () => void log.push('a2'));
    await serial.run('b', async () => void log.push('b1'));
    expect(log).toEqual(['b1']);
    a1.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await serial.drain();
  });

  it('goes on after a failed run', async () => {
    const serial = new SerialByKey();
    await expect(serial.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(serial.run('a', async () => 2)).resolves.toBe(2);
  });
});

describe('source health', () => {
  it('is healthy only while in the group, and says why not', () => {
    const h = new HealthState();
    expect(h.health({})).toMatchObject({ healthy: false, reason: 'not started' });
    h.connecting();
    h.connected();
    expect(h.health({})).toMatchObject({ healthy: false, reason: expect.stringContaining('joining') });
    h.joined();
    expect(h.health({ 'kafka:p/0': 3 })).toEqual({ healthy: true, lag: { 'kafka:p/0': 3 } });
    h.rebalancing();
    expect(h.health({}).healthy).toBe(true);
    h.disconnected();
    expect(h.health({})).toMatchObject({ healthy: false, reason: expect.stringContaining('lost the connection') });
    h.crashed(new Error('broker gone'), true);
    expect(h.health({}).reason).toContain('broker gone');
    h.joined();
    expect(h.health({}).healthy).toBe(true);
  });
});
