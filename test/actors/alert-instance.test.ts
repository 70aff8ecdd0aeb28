import { describe, expect, it } from 'vitest';
import { initialAlertSnapshot, restoreAlertSnapshot, stepAlert, type AlertInstanceEvent, type AlertInstanceSnapshot } from '../../actors/index.js';

const t = (type: 'condition.true' | 'condition.false', ts: number, value = 1): AlertInstanceEvent => ({ type, ts, value });
const deadline = (ts: number): AlertInstanceEvent => ({ type: 'deadline', ts });

function run(forMs: number, events: AlertInstanceEvent[]): AlertInstanceSnapshot[] {
  const out: AlertInstanceSnapshot[] = [];
  let s = initialAlertSnapshot(forMs);
  for (const e of events) out.push((s = stepAlert(s, e)));
  return out;
}

/** A snapshot sent through JSON and restored continues exactly like the live one, event after event. */
function expectSameAfterRestore(live: AlertInstanceSnapshot, rest: readonly AlertInstanceEvent[]): void {
  let a = live;
  let b = restoreAlertSnapshot(JSON.parse(JSON.stringify(live)));
  for (const e of rest) {
    a = stepAlert(a, e);
    b = stepAlert(b, e);
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
  }
}

describe('alert instance machine', () => {
  it('fires at once without `for`, and resolves on clear', () => {
    expect(run(0, [t('condition.true', 10, 7), t('condition.false', 20, 1)]).map((s) => s.state)).toEqual(['firing', 'resolved']);
  });

  it('waits in pending until the deadline, then fires at the deadline time', () => {
    const states = run(60_000, [t('condition.true', 1000, 9), deadline(30_000), deadline(61_000)]);
    expect(states.map((s) => s.state)).toEqual(['pending', 'pending', 'firing']);
    expect(states[0]!.context.deadline).toBe(61_000);
    expect(states[2]!.context).toMatchObject({ firingSince: 61_000, deadline: null, activeSince: 1000, lastValue: 9 });
  });

  it('goes back to inactive when the condition clears while pending', () => {
    const states = run(60_000, [t('condition.true', 0), t('condition.false', 10_000), deadline(60_000)]);
    expect(states.map((s) => s.state)).toEqual(['pending', 'inactive', 'inactive']);
    expect(states[1]!.context.deadline).toBeNull();
  });

  it('returns the same snapshot object when an event changes nothing', () => {
    const firing = run(0, [t('condition.true', 1)])[0]!;
    expect(stepAlert(firing, t('condition.true', 2))).toBe(firing);
  });

  it('can fire again after resolving', () => {
    expect(run(0, [t('condition.true', 1), t('condition.false', 2), t('condition.true', 3)]).map((s) => s.state)).toEqual(['firing', 'resolved', 'firing']);
  });

  // Rehydration: for every state, a snapshot sent through JSON and restored continues exactly like the live one.
  const paths: Array<[string, AlertInstanceEvent[]]> = [
    ['inactive', []],
    ['pending', [t('condition.true', 0)]],
    ['firing', [t('condition.true', 0), deadline(60_000)]],
    ['resolved', [t('condition.true', 0), deadline(60_000), t('condition.false', 70_000)]],
  ];
  const continuations: AlertInstanceEvent[][] = [
    [t('condition.true', 100_000), deadline(160_000), t('condition.false', 170_000)],
    [deadline(60_000), t('condition.false', 80_000)],
    [t('condition.false', 90_000), t('condition.true', 95_000)],
  ];
  for (const [state, prefix] of paths) {
    it(`restores a ${state} snapshot from JSON and continues identically`, () => {
      let live = initialAlertSnapshot(60_000);
      for (const e of prefix) live = stepAlert(live, e);
      expect(live.state).toBe(state);
      for (const rest of continuations) expectSameAfterRestore(live, rest);
    });
  }

  it('refuses a snapshot of an unknown version', () => {
    expect(() => restoreAlertSnapshot({ v: 99, state: 'firing', context: {} })).toThrow(/version 99/);
  });

  describe('keep firing, flapping and no data', () => {
    const timed = (timing: Parameters<typeof initialAlertSnapshot>[0], events: AlertInstanceEvent[]): AlertInstanceSnapshot[] => {
      const out: AlertInstanceSnapshot[] = [];
      let s = initialAlertSnapshot(timing);
      for (const e of events) out.push((s = stepAlert(s, e)));
      return out;
    };
    const nodata = (ts: number, action: 'fire' | 'resolve'): AlertInstanceEvent => ({ type: 'nodata', ts, action });

    it('keeps firing after the condition clears, resolves at the end of the hold, and a true edge cancels the hold', () => {
      const states = timed({ keepFiringMs: 100 }, [t('condition.true', 0), t('condition.false', 10), t('condition.true', 50), t('condition.false', 60), deadline(110), deadline(160)]);
      expect(states.map((s) => `${s.state}:${s.context.hold ?? '-'}:${s.context.deadline ?? '-'}`)).toEqual([
        'firing:-:-',
        'firing:keep:110',
        'firing:-:-',
        'firing:keep:160',
        'firing:keep:160',
        'resolved:-:-',
      ]);
    });

    it('holds a flapping alert firing until it has been quiet for the window', () => {
      const events = [t('condition.true', 0), t('condition.false', 10), t('condition.true', 20), t('condition.false', 30), deadline(130)];
      const states = timed({ flapChanges: 4, flapWithinMs: 100 }, events);
      // Changes at 0 (fire), 10 (resolve), 20 (fire): the resolve at 30 would be the 4th within 100 ms.
      expect(states.map((s) => s.state)).toEqual(['firing', 'resolved', 'firing', 'firing', 'resolved']);
      expect(states[3]!.context).toMatchObject({ hold: 'flap', deadline: 130 });
    });

    it('fires on no data, flags it, and the next true edge clears the flag; resolve drops a pending alert', () => {
      const fired = timed({}, [nodata(50, 'fire'), t('condition.true', 60)]);
      expect(fired.map((s) => `${s.state}:${s.context.noData}`)).toEqual(['firing:true', 'firing:false']);
      expect(timed({ forMs: 100 }, [t('condition.true', 0), nodata(50, 'resolve')]).map((s) => s.state)).toEqual(['pending', 'inactive']);
      expect(timed({}, [t('condition.true', 0), nodata(50, 'resolve')]).map((s) => s.state)).toEqual(['firing', 'resolved']);
    });

    it('restores held and no-data snapshots from JSON and continues identically', () => {
      const held = timed({ keepFiringMs: 100, flapChanges: 3, flapWithinMs: 50 }, [t('condition.true', 0), t('condition.false', 10)]).at(-1)!;
      const noData = timed({ keepFiringMs: 100 }, [nodata(5, 'fire')]).at(-1)!;
      for (const live of [held, noData]) {
        for (const rest of [[deadline(110)], [t('condition.true', 20), t('condition.false', 30), deadline(130)], [nodata(40, 'resolve')]]) expectSameAfterRestore(live, rest);
      }
    });

    it('reads a version-1 snapshot (only `for`) as one with no holds', () => {
      const v1 = { v: 1, state: 'pending', context: { forMs: 60_000, activeSince: 0, firingSince: null, deadline: 60_000, lastValue: 9 } };
      const s = restoreAlertSnapshot(v1);
      expect(s).toMatchObject({ v: 2, state: 'pending', context: { forMs: 60_000, keepFiringMs: 0, flapChanges: 0, hold: null, noData: false } });
      expect(stepAlert(s, deadline(60_000)).state).toBe('firing');
    });
  });
});
