import { describe, expect, it } from 'vitest';
import { clusterDeadlines, initialClusterSnapshot, restoreClusterSnapshot, stepCluster, type ClusterEvent, type ClusterSnapshot } from '../../actors/index.js';

const H = 3_600_000;
const M = 60_000;
const options = { upgradeTimeoutMs: 2 * H, heartbeatTimeoutMs: 5 * M };

function run(events: ClusterEvent[], from: ClusterSnapshot = initialClusterSnapshot(options)): ClusterSnapshot[] {
  const out: ClusterSnapshot[] = [];
  let s = from;
  for (const e of events) out.push((s = stepCluster(s, e)));
  return out;
}
const last = (events: ClusterEvent[]): ClusterSnapshot => run(events).at(-1)!;

describe('cluster machine', () => {
  it('is upgrading between upgrade start and finish', () => {
    const states = run([{ type: 'upgrade.start', ts: 100 }, { type: 'upgrade.finish', ts: 500 }]);
    expect(states.map((s) => s.state)).toEqual(['upgrading', 'active']);
    expect(states[0]!.context.window).toEqual({ kind: 'upgrade', since: 100, until: null, deadline: 100 + 2 * H, by: 'event' });
    expect(states[1]!.context).toMatchObject({ window: null, since: 500, upgradeTimedOut: null });
  });

  it('times out an upgrade without an end at since + upgradeTimeoutMs and remembers the time-out', () => {
    const s = last([{ type: 'upgrade.start', ts: 100 }, { type: 'deadline', ts: 100 + H }, { type: 'deadline', ts: 100 + 2 * H }]);
    expect(s.state).toBe('active');
    expect(s.context.upgradeTimedOut).toEqual({ since: 100, at: 100 + 2 * H });
    expect(s.context.since).toBe(100 + 2 * H);
  });

  it('ends an upgrade with a declared end quietly at that end', () => {
    const s = last([{ type: 'upgrade.start', ts: 0, until: 30 * M, by: 'operator:ana' }, { type: 'deadline', ts: 30 * M }]);
    expect(s.state).toBe('active');
    expect(s.context.upgradeTimedOut).toBeNull();
  });

  it('clears a time-out when the upgrade finishes late or the next one starts', () => {
    const timedOut = last([{ type: 'upgrade.start', ts: 0 }, { type: 'deadline', ts: 2 * H }]);
    expect(stepCluster(timedOut, { type: 'upgrade.finish', ts: 3 * H }).context.upgradeTimedOut).toBeNull();
    expect(stepCluster(timedOut, { type: 'upgrade.start', ts: 3 * H }).context.upgradeTimedOut).toBeNull();
  });

  it('holds maintenance until its end time or its finish event', () => {
    expect(run([{ type: 'maintenance.start', ts: 0, until: H }, { type: 'deadline', ts: H }]).map((s) => s.state)).toEqual(['maintenance', 'active']);
    expect(run([{ type: 'maintenance.start', ts: 0 }, { type: 'maintenance.finish', ts: 10 }]).map((s) => s.state)).toEqual(['maintenance', 'active']);
  });

  it('becomes unreachable when heartbeats stop for heartbeatTimeoutMs, and active again on the next one', () => {
    const states = run([{ type: 'heartbeat', ts: 0 }, { type: 'heartbeat', ts: M }, { type: 'deadline', ts: 5 * M }, { type: 'deadline', ts: 6 * M }, { type: 'heartbeat', ts: 7 * M }]);
    expect(states.map((s) => s.state)).toEqual(['active', 'active', 'active', 'unreachable', 'active']);
    expect(states[3]!.context.unreachableSince).toBe(6 * M);
    expect(states[4]!.context).toMatchObject({ unreachableSince: null, heartbeatDeadline: 12 * M });
  });

  it('does not watch heartbeats before the first one or during a window, and grants a full timeout after it', () => {
    expect(last([{ type: 'deadline', ts: H }]).state).toBe('active');
    const s = last([{ type: 'heartbeat', ts: 0 }, { type: 'upgrade.start', ts: M }, { type: 'deadline', ts: 10 * M }, { type: 'upgrade.finish', ts: 20 * M }]);
    expect(s.state).toBe('active');
    expect(s.context.heartbeatDeadline).toBe(25 * M);
    expect(clusterDeadlines(s)).toEqual([25 * M]);
  });

  it('ignores a stale deadline and a late heartbeat', () => {
    const s = last([{ type: 'heartbeat', ts: 10 * M }, { type: 'heartbeat', ts: 5 * M }]);
    expect(s.context.lastHeartbeat).toBe(10 * M);
    expect(stepCluster(s, { type: 'deadline', ts: 11 * M })).toBe(s);
  });

  it('lets a planned upgrade take over from unreachable', () => {
    expect(last([{ type: 'heartbeat', ts: 0 }, { type: 'deadline', ts: 5 * M }, { type: 'upgrade.start', ts: 6 * M }]).state).toBe('upgrading');
  });

  // Rehydration: for every state, a snapshot sent through JSON and restored continues exactly like the live one.
  const paths: Array<[string, ClusterEvent[]]> = [
    ['active', [{ type: 'heartbeat', ts: 0 }]],
    ['upgrading', [{ type: 'heartbeat', ts: 0 }, { type: 'upgrade.start', ts: M }]],
    ['maintenance', [{ type: 'maintenance.start', ts: M, until: 3 * H }]],
    ['unreachable', [{ type: 'heartbeat', ts: 0 }, { type: 'deadline', ts: 5 * M }]],
  ];
  const continuations: ClusterEvent[][] = [
    [{ type: 'deadline', ts: 2 * H + M }, { type: 'deadline', ts: 3 * H }, { type: 'heartbeat', ts: 4 * H }],
    [{ type: 'upgrade.finish', ts: 10 * M }, { type: 'deadline', ts: 15 * M }, { type: 'heartbeat', ts: 16 * M }],
    [{ type: 'maintenance.finish', ts: 10 * M }, { type: 'upgrade.start', ts: 20 * M }, { type: 'deadline', ts: 20 * M + 2 * H }],
  ];
  for (const [state, prefix] of paths) {
    it(`restores a ${state} snapshot from JSON and continues identically`, () => {
      const live = last(prefix);
      expect(live.state).toBe(state);
      for (const rest of continuations) {
        const a = run(rest, live);
        const b = run(rest, restoreClusterSnapshot(JSON.parse(JSON.stringify(live))));
        expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
      }
    });
  }

  it('refuses a snapshot of an unknown version', () => {
    expect(() => restoreClusterSnapshot({ v: 99, state: 'active', context: {} })).toThrow(/version 99/);
  });
});
