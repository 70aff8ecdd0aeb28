/**
 * S1 — Threshold per target, trigger and clear: "ping above 500 ms" for every
 * (agent, target) pair, each point evaluated as it arrives (a point rule,
 * docs/evaluation.md). An alert fires on Trigger and stays firing until a
 * Clear; Slack gets one message on trigger and one on clear, never duplicates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { startServer as startRecordingServer, type RecordingServer } from '../deliver/support.js';
import { at, point, timeline, useScenarios } from '../support/scenario-harness.js';

const ping = (agent: string, target: string, ms: number, time: string) => point('ping_ms', { agent, target }, ms, at(time));

/** The pings, one batch per line, in arrival order (which is event-time order here: lateness 0). */
const batches = [
  [ping('a1', 'db', 120, '0:00:00'), ping('a1', 'web', 80, '0:00:00'), ping('a2', 'db', 90, '0:00:00')],
  [ping('a1', 'db', 620, '0:00:10'), ping('a2', 'db', 95, '0:00:10')],
  [ping('a1', 'db', 700, '0:00:20'), ping('a1', 'web', 900, '0:00:20')], // a1→db still above: no second Trigger
  [ping('a1', 'db', 300, '0:00:30')],
  [ping('a1', 'db', 200, '0:00:40'), ping('a1', 'web', 880, '0:00:40')],
  [ping('a1', 'db', 510, '0:00:50')],
  [ping('a1', 'web', 500, '0:01:00')], // exactly 500 is not above 500: a Clear
  [ping('a1', 'db', 100, '0:01:10'), ping('a2', 'db', 100, '0:01:10')],
];

// Each transition carries the event time of the point that caused it; a2→db never breached, so it has no alert.
const expected = timeline(`
  time      rule       alert               transition
  00:00:10  high_ping  agent=a1,target=db  inactive -> firing    # 620 ms
  00:00:20  high_ping  agent=a1,target=web inactive -> firing    # 900 ms
  00:00:30  high_ping  agent=a1,target=db  firing   -> resolved  # 300 ms
  00:00:50  high_ping  agent=a1,target=db  resolved -> firing    # 510 ms
  00:01:00  high_ping  agent=a1,target=web firing   -> resolved  # 500 ms
  00:01:10  high_ping  agent=a1,target=db  firing   -> resolved  # 100 ms
`);

describe('S1 threshold per target, trigger and clear', () => {
  const start = useScenarios();
  let slack: RecordingServer | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('fires per (agent, target) on the first point above 500 ms and resolves on the first point at or below it', async () => {
    const scenario = await start({ rules: scenarioRules.S1! });
    for (const points of batches) await scenario.send({ points });
    expect(await scenario.rows()).toEqual(expected);
    const events = await scenario.transitions();
    expect(events.map((e) => e.alert)).toContain('alert/high_ping/agent=a1,target=db');
    expect(events.every((e) => e.severity === 'warning')).toBe(true);
  });

  it('evaluates points in event-time order when they arrive out of order within the allowed lateness', async () => {
    // 30 s of lateness: each point waits until the watermark passes it, so swapped batches change nothing.
    const scenario = await start({ rules: scenarioRules.S1!, allowedLatenessMs: 30_000 });
    for (const i of [0, 2, 1, 4, 3, 6, 5, 7]) {
      const ack = await scenario.send({ points: batches[i]! });
      expect(ack.late).toBe(0);
    }
    await scenario.advanceTo(at('0:01:40')); // releases the last points (01:10 + 30 s)
    expect(await scenario.rows()).toEqual(expected);
  });

  it('posts one Slack message on each trigger and one on each clear, and none for a repeated breach or a re-sent batch', async () => {
    slack = await startRecordingServer();
    const scenario = await start({
      rules: scenarioRules.S1!,
      producerId: 'ping-collector',
      delivery: {
        receivers: [{ name: 'slack', type: 'slack', url: `${slack.url}/services/T000/B000/XXXX` }],
        // One group per alert, sent as soon as it changes, never reminded: one message per Trigger or Clear.
        route: { receiver: 'slack', groupBy: ['agent', 'target'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, sendResolved: true },
      },
    });
    for (const [i, points] of batches.entries()) {
      await scenario.send({ points });
      await scenario.deliver();
      if (i === 2) {
        // The producer re-sends its third batch (a lost acknowledgement): a duplicate, applied and notified once.
        const again = await scenario.send({ points }, { batchId: 3 });
        expect(again.duplicate).toBe(true);
        await scenario.deliver();
      }
    }
    expect(await scenario.rows()).toEqual(expected);

    // The title is the rule's summary annotation, with $value the ping of the point that triggered or cleared.
    expect(slack.requests.map((r) => r.json<{ text: string }>().text)).toEqual([
      '[FIRING] ping from a1 to db is 620 ms',
      '[FIRING] ping from a1 to web is 900 ms',
      '[RESOLVED] ping from a1 to db is 300 ms',
      '[FIRING] ping from a1 to db is 510 ms',
      '[RESOLVED] ping from a1 to web is 500 ms',
      '[RESOLVED] ping from a1 to db is 100 ms',
    ]);
    // One message per transition: each shows its transition's id (`<alert>#<sequence>`) as the idempotency key.
    const keys = slack.requests.map((r) => /key `([^`]+)`/.exec(r.body)?.[1]);
    expect(keys).toEqual((await scenario.transitions()).map((e) => e.id));
  });
});
