/**
 * S8 — Out-of-order and multi-source rounds: one test (`dns`) runs on 12
 * agents; a round is one 1m step of the documented `probe_loss` rule, whose
 * `expect 12 sources by (agent)` closes a round as soon as all 12 agents
 * reported it. Otherwise the watermark (newest event time minus the allowed
 * lateness, 90 s here) closes it. Points for a round already closed — early
 * or by the watermark — are late: counted per rule and source, never applied;
 * the ingest acknowledgement reports those that arrived behind the watermark.
 *
 * One collector forwards every agent's points over one ingest source, in the
 * order they reached it (not the order they were measured in).
 */
import { describe, expect, it } from 'vitest';
import type { DataPointMsg } from '../../src/api/index.js';
import { scenarioRules } from '../language/scenario-rules.js';
import { at, point, timeline, useScenarios } from '../support/scenario-harness.js';

const agents = Array.from({ length: 12 }, (_, i) => `a${String(i + 1).padStart(2, '0')}`);

/** The probe loss `agent` measured in round `round` (minute), `second` seconds into it. */
function loss(agent: string, round: number, second: number, percent: number): DataPointMsg {
  return point('probe_loss_percent', { test: 'dns', agent }, percent, at(`0:0${round}:${String(second).padStart(2, '0')}`));
}

/** Every agent in `who` reports round `round`, agent i at second 5 + i, with 0% loss unless `percent` says otherwise. */
function round(round: number, who: readonly string[], percent: Record<string, number> = {}): DataPointMsg[] {
  return who.map((agent) => loss(agent, round, 5 + agents.indexOf(agent), percent[agent] ?? 0));
}

describe('S8 out-of-order and multi-source rounds', () => {
  const start = useScenarios();

  it.each([
    { restart: false, title: '' },
    { restart: true, title: ' (with a restart while round 0 waits for its last agent)' },
  ])('evaluates a round when all 12 agents reported or when the lateness passed, and counts later points as late$title', async ({ restart }) => {
    const scenario = await start({ rules: scenarioRules.S8!, allowedLatenessMs: 90_000 });
    const first11 = agents.slice(0, 11);
    const allBut07 = agents.filter((a) => a !== 'a07');

    // Round 0: a01 lost 50%, a12 20%: the average over 11 agents would be 4.5% (no breach), over all 12 it is 5.83%.
    // It arrives in three batches: a06..a01 (newest first), a07..a11, then a12, measured first (00:00:02) and arriving last.
    const b1 = await scenario.send({ points: round(0, first11.slice(0, 6).reverse(), { a01: 50 }) });
    const b2 = await scenario.send({ points: round(0, first11.slice(6)) });
    expect([b1.lastSequence, b2.lastSequence]).toEqual([0, 0]); // 11 of 12: still open (the watermark, 00:00:15 - 90 s, is before 00:00:00)
    if (restart) await scenario.restart(); // the open round and the agents it has seen are durable
    const b3 = await scenario.send({ points: [loss('a12', 0, 2, 20)] });
    expect(b3).toMatchObject({ late: 0, lastSequence: 1 }); // complete: evaluated now, long before the watermark reaches 00:01:00

    // a05 re-sends a round-0 point after the round was evaluated: late for its round, though within the allowed
    // lateness (so not behind the watermark, which is all the acknowledgement's \`late\` counts): it changes nothing.
    const b4 = await scenario.send({ points: [loss('a05', 0, 40, 100)] });
    expect(b4.lastSequence).toBe(1);
    expect(scenario.server.engine.lateCounts()).toEqual({ probe_loss: { grpc: 1 } });

    // Round 1: a07 is silent, so the round stays open. Round 2 (a03 lost 80%: 6.67%) is complete, but waits for round 1.
    const b5 = await scenario.send({ points: round(1, allBut07) });
    const b6 = await scenario.send({ points: round(2, agents, { a03: 80 }) });
    expect([b5.lastSequence, b6.lastSequence]).toEqual([1, 1]);

    // a01's first round-3 point (00:03:05) moves the watermark to 00:01:35: not yet at round 1's end, 00:02:00.
    const b7 = await scenario.send({ points: round(3, ['a01']) });
    expect(b7.lastSequence).toBe(1);
    // a02's (00:03:31) moves it to 00:02:01: round 1 closes with 11 agents, then round 2, complete, closes right after it.
    const b8 = await scenario.send({ points: [loss('a02', 3, 31, 0)] });
    expect(b8.lastSequence).toBe(3);

    // a07's round-1 point finally arrives: behind the watermark, late.
    const b9 = await scenario.send({ points: [loss('a07', 1, 55, 0)] });
    expect(b9).toMatchObject({ late: 1, lastSequence: 3 });
    expect(scenario.server.engine.lateCounts()).toEqual({ probe_loss: { grpc: 2 } });

    // The other 10 agents report round 3: complete with 0% loss.
    await scenario.send({ points: round(3, agents.filter((a) => a !== 'a01' && a !== 'a02')) });

    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule        alert     transition
        00:01:00  probe_loss  test=dns  inactive -> firing    # round 0, complete with a12: 70 / 12 = 5.83% > 5
        00:02:00  probe_loss  test=dns  firing   -> resolved  # round 1, closed by the watermark with 11 agents: 0%
        00:03:00  probe_loss  test=dns  resolved -> firing    # round 2, complete since 00:02:16, closed once round 1 was
        00:04:00  probe_loss  test=dns  firing   -> resolved  # round 3, complete: 0%
      `),
    );
  });
});
