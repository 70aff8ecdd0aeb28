/**
 * S7 — Silent failures: absence, backlog, latency. The five rules of the
 * scenario (docs/rule-language.md) are applied together; each test feeds the
 * metric of one of them and checks the exact transitions. All rules run on
 * one-minute steps (the default): a step's transitions carry its end time.
 */
import { describe, expect, it } from 'vitest';
import type { DataPointMsg } from '../../src/api/index.js';
import { scenarioRules } from '../language/scenario-rules.js';
import { inMinute, point, timeline, useScenarios, type Scenario } from '../support/scenario-harness.js';

/**
 * Sends one batch per step with the points `pointsOf(step)` gives, then moves event time to the end of the
 * last step. With `restartBefore`, the server restarts on its data directory before sending that step.
 */
async function runSteps(scenario: Scenario, steps: number, pointsOf: (step: number) => DataPointMsg[], restartBefore?: number): Promise<void> {
  for (let step = 0; step < steps; step++) {
    if (step === restartBefore) await scenario.restart();
    const points = pointsOf(step);
    if (points.length > 0) await scenario.send({ points });
  }
  await scenario.advanceTo(inMinute(steps));
}

describe('S7 silent failures: absence, backlog, latency', () => {
  const start = useScenarios();

  it.each([
    { restartBefore: undefined, restart: '' },
    { restartBefore: 8, restart: ' (with a restart while it is silent)' },
  ])('customer_stopped_sending fires for a customer that vanished 10 minutes after its last message, and resolves when it is back$restart', async ({ restartBefore }) => {
    /**
     * Messages received per customer and step (. = sent nothing).
     *
     *   step     0  1  2  3 … 14  15  16
     *   acme     5  5  5  5 …  4   4   4    (at 10 s into each step; step 5 counted 0)
     *   globex   3  3  3  . …  .   6   .    (at 30 s; silent from 00:02:30 to 00:15:30)
     *
     * Its absence deadline is durable: a restart at 00:08 changes nothing.
     */
    const acme = (step: number): number => (step < 5 ? 5 : step === 5 ? 0 : 4);
    const scenario = await start({ rules: scenarioRules.S7! });
    await runSteps(scenario, 17, (step) => [
      point('messages_received', { customer: 'acme' }, acme(step), inMinute(step, 10)),
      ...(step <= 2 || step === 15 ? [point('messages_received', { customer: 'globex' }, step === 15 ? 6 : 3, inMinute(step, 30))] : []),
    ], restartBefore);
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule                      alert            transition
        00:06:00  customer_stopped_sending  customer=acme    inactive -> firing    # step 5 counted 0 messages (< 1)
        00:07:00  customer_stopped_sending  customer=acme    firing   -> resolved
        00:12:30  customer_stopped_sending  customer=globex  inactive -> firing    # no data: last message 00:02:30 + 10m (passed by acme's 00:13:10)
        00:16:00  customer_stopped_sending  customer=globex  firing   -> resolved  # back: step 15 had 6 messages
      `),
    );
    // Only globex's alert says it fired for lack of data; acme's fired on a value (0 messages).
    expect(await scenario.noDataRows()).toEqual(['00:12:30 customer_stopped_sending customer=globex inactive -> firing']);
  });

  it('queue_message_age fires when the oldest message stayed older than 300 s for 5 steps', async () => {
    /**
     * Oldest message age (s) per queue and step; broker b2 always reports half of b1, so the max is b1's.
     *
     *   step      0    1    2    3    4    5    6    7
     *   q1      100  200  350  400  450  500  550  120
     *   q2       50  400  320  100   90   80   70   60
     */
    const age = { q1: [100, 200, 350, 400, 450, 500, 550, 120], q2: [50, 400, 320, 100, 90, 80, 70, 60] };
    const scenario = await start({ rules: scenarioRules.S7! });
    await runSteps(scenario, 8, (step) =>
      Object.entries(age).flatMap(([queue, values]) => [
        point('queue_message_age_seconds', { queue, broker: 'b1' }, values[step]!, inMinute(step, 15)),
        point('queue_message_age_seconds', { queue, broker: 'b2' }, values[step]! / 2, inMinute(step, 45)),
      ]),
    );
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule               alert     transition
        00:02:00  queue_message_age  queue=q2  inactive -> pending   # step 1 above 300
        00:03:00  queue_message_age  queue=q1  inactive -> pending   # step 2 above 300
        00:04:00  queue_message_age  queue=q2  pending  -> inactive  # step 3 back to 100
        00:07:00  queue_message_age  queue=q1  pending  -> firing    # steps 2-6 above 300
        00:08:00  queue_message_age  queue=q1  firing   -> resolved  # step 7: 120
      `),
    );
  });

  it('queue_building_up fires when the queue depth grew at each of the last 3 steps', async () => {
    /**
     * Queue depth per step (max over partitions; p1 always reports 5 less than p0).
     *
     *   step      0   1   2   3   4   5   6   7   8   9
     *   q1       10  10  20  30  40  35  50  60  70  70
     *   q2        5   5   5   5   5   5   5   5   5   5
     */
    const depth = { q1: [10, 10, 20, 30, 40, 35, 50, 60, 70, 70], q2: Array<number>(10).fill(5) };
    const scenario = await start({ rules: scenarioRules.S7! });
    await runSteps(scenario, 10, (step) =>
      Object.entries(depth).flatMap(([queue, values]) => [
        point('queue_depth', { queue, partition: 'p0' }, values[step]!, inMinute(step, 20)),
        point('queue_depth', { queue, partition: 'p1' }, values[step]! - 5, inMinute(step, 40)),
      ]),
    );
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule               alert     transition
        00:05:00  queue_building_up  queue=q1  inactive -> firing    # steps 1-4: 10 -> 20 -> 30 -> 40
        00:06:00  queue_building_up  queue=q1  firing   -> resolved  # step 5: 35
        00:09:00  queue_building_up  queue=q1  resolved -> firing    # steps 5-8: 35 -> 50 -> 60 -> 70
        00:10:00  queue_building_up  queue=q1  firing   -> resolved  # step 9: 70, not higher
      `),
    );
  });

  it('throughput_dropped fires when the processing rate stayed below half of the rate one hour earlier for 10 minutes', async () => {
    /**
     * messages_processed is a counter sampled at 0 s and 30 s of each step; `rate` is the
     * increase between a step's samples divided by the 60 s step.
     *
     *   step     0-61   62-63   64   65-74   75   76
     *   acme       10       4   10       4    6   10    /s   (below 5/s = half of 10/s an hour earlier: T)
     *   globex      2       2    2       2    2    2    /s   (steady: never below half of itself)
     */
    const rate = (customer: string, step: number): number => {
      if (customer === 'globex') return 2;
      if (step === 62 || step === 63 || (step >= 65 && step <= 74)) return 4;
      return step === 75 ? 6 : 10;
    };
    const counters = new Map<string, number>();
    const samples = (customer: string, step: number): DataPointMsg[] => {
      const start = counters.get(customer) ?? 0;
      const increase = rate(customer, step) * 60;
      counters.set(customer, start + 2 * increase);
      return [
        point('messages_processed', { customer, worker: 'w1' }, start, inMinute(step, 0)),
        point('messages_processed', { customer, worker: 'w1' }, start + increase, inMinute(step, 30)),
      ];
    };
    const scenario = await start({ rules: scenarioRules.S7! });
    await runSteps(scenario, 77, (step) => [...samples('acme', step), ...samples('globex', step)]);
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule                alert          transition
        01:03:00  throughput_dropped  customer=acme  inactive -> pending   # step 62: 4/s < 0.5 x 10/s (step 2)
        01:05:00  throughput_dropped  customer=acme  pending  -> inactive  # step 64: 10/s again
        01:06:00  throughput_dropped  customer=acme  inactive -> pending   # step 65: 4/s
        01:15:00  throughput_dropped  customer=acme  pending  -> firing    # steps 65-74: 10 steps below half
        01:16:00  throughput_dropped  customer=acme  firing   -> resolved  # step 75: 6/s
      `),
    );
  });

  it('failure_percent fires when failed/total was above 5% in 3 of the last 5 steps, a step without failures counting as 0%', async () => {
    /**
     * Failed and total requests per step (totals from two nodes, failures from one; . = no failed point).
     *
     *   step              0    1    2    3    4    5    6    7    8
     *   acme failed       .   20    .   12   16    4    .   10    .
     *   acme total      200  200  200  200  200  200  200  200  200
     *   acme %            0   10    0    6    8    2    0    5    0    (> 5: T; exactly 5 is not)
     *   true of last 5    0    1    1    2    3    3    2    2    1
     *   globex %          5    5    5    5    5    5    5    5    5    (5 of 100: never above)
     */
    const failed = [undefined, 20, undefined, 12, 16, 4, undefined, 10, undefined];
    const scenario = await start({ rules: scenarioRules.S7! });
    await runSteps(scenario, 9, (step) => [
      point('total', { customer: 'acme', node: 'n1' }, 100, inMinute(step, 10)),
      point('total', { customer: 'acme', node: 'n2' }, 100, inMinute(step, 10)),
      ...(failed[step] === undefined ? [] : [point('failed', { customer: 'acme', node: 'n1' }, failed[step]!, inMinute(step, 40))]),
      point('total', { customer: 'globex', node: 'n1' }, 100, inMinute(step, 20)),
      point('failed', { customer: 'globex', node: 'n1' }, 5, inMinute(step, 50)),
    ]);
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule             alert          transition
        00:05:00  failure_percent  customer=acme  inactive -> firing    # steps 0-4: 0 10 0 6 8, 3 of 5 above 5%
        00:07:00  failure_percent  customer=acme  firing   -> resolved  # steps 2-6: 0 6 8 2 0, 2 of 5
      `),
    );
  });
});
