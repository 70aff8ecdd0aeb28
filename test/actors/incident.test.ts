import { describe, expect, it } from 'vitest';
import { initialIncidentSnapshot, restoreIncidentSnapshot, stepIncident, type IncidentEvent, type IncidentSnapshot } from '../../actors/index.js';

const firing = (member: string, ts: number): IncidentEvent => ({ type: 'member.firing', member, ts });
const recovered = (member: string, ts: number): IncidentEvent => ({ type: 'member.recovered', member, ts });
const ack = (ts: number, by = 'ana'): IncidentEvent => ({ type: 'acknowledge', ts, by });

function run(events: IncidentEvent[], from: IncidentSnapshot = initialIncidentSnapshot()): IncidentSnapshot[] {
  const out: IncidentSnapshot[] = [];
  let s = from;
  for (const e of events) out.push((s = stepIncident(s, e)));
  return out;
}

describe('incident machine', () => {
  it('opens with its first member, lets members join and recover, and resolves with the last', () => {
    const states = run([firing('c1', 10), firing('c2', 20), recovered('c1', 30), recovered('c2', 40)]);
    expect(states.map((s) => s.state)).toEqual(['open', 'open', 'open', 'resolved']);
    expect(states[1]!.context.members).toEqual({ c1: { state: 'firing', since: 10 }, c2: { state: 'firing', since: 20 } });
    expect(states[3]!.context).toMatchObject({ openedAt: 10, resolvedAt: 40, occurrence: 1, members: { c1: { state: 'resolved', since: 30 }, c2: { state: 'resolved', since: 40 } } });
  });

  it('lets a recovered member fire again while the incident is open', () => {
    const s = run([firing('c1', 10), firing('c2', 20), recovered('c1', 30), firing('c1', 35)]).at(-1)!;
    expect(s.context.members.c1).toEqual({ state: 'firing', since: 35 });
  });

  it('keeps resolving after an acknowledgement', () => {
    const states = run([firing('c1', 10), ack(15), firing('c2', 20), recovered('c1', 30), recovered('c2', 40)]);
    expect(states.map((s) => s.state)).toEqual(['open', 'acknowledged', 'acknowledged', 'acknowledged', 'resolved']);
    expect(states[1]!.context.acknowledged).toEqual({ at: 15, by: 'ana' });
  });

  it('opens the next occurrence with fresh members and no acknowledgement', () => {
    const s = run([firing('c1', 10), ack(11), recovered('c1', 20), firing('c3', 30)]).at(-1)!;
    expect(s.state).toBe('open');
    expect(s.context).toMatchObject({ members: { c3: { state: 'firing', since: 30 } }, openedAt: 30, resolvedAt: null, acknowledged: null, occurrence: 2 });
  });

  it('changes nothing for a repeated firing, an unknown recovery or an acknowledgement of a closed incident', () => {
    const [open] = run([firing('c1', 10)]);
    expect(stepIncident(open!, firing('c1', 12))).toBe(open);
    expect(stepIncident(open!, recovered('c9', 12))).toBe(open);
    const idle = initialIncidentSnapshot();
    expect(stepIncident(idle, ack(1))).toBe(idle);
  });

  const paths: Array<[string, IncidentEvent[]]> = [
    ['idle', []],
    ['open', [firing('c1', 10), firing('c2', 11)]],
    ['acknowledged', [firing('c1', 10), ack(12)]],
    ['resolved', [firing('c1', 10), recovered('c1', 20)]],
  ];
  const continuations: IncidentEvent[][] = [
    [firing('c3', 100), recovered('c1', 110), recovered('c2', 120), recovered('c3', 130)],
    [ack(100), firing('c1', 110), recovered('c1', 120)],
  ];
  for (const [state, prefix] of paths) {
    it(`restores a ${state} snapshot from JSON and continues identically`, () => {
      const live = run(prefix).at(-1) ?? initialIncidentSnapshot();
      expect(live.state).toBe(state);
      for (const rest of continuations) {
        const a = run(rest, live);
        const b = run(rest, restoreIncidentSnapshot(JSON.parse(JSON.stringify(live))));
        expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
      }
    });
  }

  it('refuses a snapshot of an unknown version', () => {
    expect(() => restoreIncidentSnapshot({ v: 2, state: 'open', context: {} })).toThrow(/version 2/);
  });
});
