/**
 * S2 — Ratio with N-of-M rounds: `sum(errors) by (cluster) / sum(rps) by
 * (cluster) * 100 > 50` on one-minute steps, firing when at least 4 of the
 * last 5 steps breached. Errors and requests arrive as separate series (from
 * two nodes each, in separate batches, at different seconds of the step) and
 * are divided only for the same step and cluster. A step without requests, or
 * with zero requests, has no data: not a breach and not a division by zero,
 * and it takes one of the 5 places.
 */
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import type { DataPointMsg } from '../../src/api/index.js';
import { inMinute, point, timeline, useScenarios } from '../support/scenario-harness.js';

/**
 * Per one-minute step and cluster: errors and requests summed over the nodes (undefined: nobody sent any).
 *
 *   step              0   1   2   3   4   5   6    7   8    9
 *   c1 errors        60  60  20  60  60  60  60   60   5   20
 *   c1 rps          100 100 100 100 100 100   —  100   0  100
 *   c1 ratio %       60  60  20  60  60  60  n/d  60 n/d   20     (n/d: no data; step 8 is 5 / 0)
 *   c1 breach         T   T   F   T   T   T   ·    T   ·    F
 *   true of last 5    1   2   2   3   4   4   3    4   3    2     (≥ 4: firing)
 *   c2 ratio %       50  50  50  50  50  50  50   50  50   50     (never above 50)
 */
const c1 = { errors: [60, 60, 20, 60, 60, 60, 60, 60, 5, 20], rps: [100, 100, 100, 100, 100, 100, undefined, 100, 0, 100] };
const c2 = { errors: Array<number>(10).fill(50), rps: Array<number | undefined>(10).fill(100) };

const expected = timeline(`
  time      rule         alert       transition
  00:05:00  error_ratio  cluster=c1  inactive -> firing    # steps 0-4: T T F T T, 4 of 5 (the blog's "4,:gt" would need 5 of 5)
  00:07:00  error_ratio  cluster=c1  firing   -> resolved  # steps 2-6: F T T T n/d, 3 of 5
  00:08:00  error_ratio  cluster=c1  resolved -> firing    # steps 3-7: T T T n/d T, 4 of 5
  00:09:00  error_ratio  cluster=c1  firing   -> resolved  # steps 4-8: T T n/d T n/d (5 / 0 requests is no data, not a breach)
`);

/** Each node sends half of the cluster's figure: requests at 5 s into the step, errors at 35 s. */
function requests(step: number): DataPointMsg[] {
  return series('rps', (data) => data.rps[step], inMinute(step, 5));
}

function errors(step: number): DataPointMsg[] {
  return series('errors', (data) => data.errors[step], inMinute(step, 35));
}

function series(name: string, value: (data: typeof c1) => number | undefined, tsMs: number): DataPointMsg[] {
  return (['c1', 'c2'] as const).flatMap((cluster) => {
    const v = value(cluster === 'c1' ? c1 : c2);
    return v === undefined ? [] : ['n1', 'n2'].map((node) => point(name, { cluster, node }, v / 2, tsMs));
  });
}

describe('S2 ratio with N-of-M rounds', () => {
  const start = useScenarios();

  it('aligns errors and requests per step and cluster and fires while at least 4 of the last 5 steps breach', async () => {
    const scenario = await start({ rules: scenarioRules.S2! });
    for (let step = 0; step < 10; step++) {
      // Separate batches: requests, then errors.
      for (const points of [requests(step), errors(step)]) if (points.length > 0) await scenario.send({ points });
    }
    // Step 9 closes when the watermark reaches its end.
    await scenario.advanceTo(inMinute(10));
    expect(await scenario.rows()).toEqual(expected);
  });

  it('aligns them the same when the errors series arrives a step behind the requests, within the allowed lateness', async () => {
    // Each batch carries step k's requests with step k-1's errors. With 2 minutes of lateness the watermark
    // trails by two steps, so step k-1 is still open when its errors arrive; it closes at the same event time.
    const scenario = await start({ rules: scenarioRules.S2!, allowedLatenessMs: 120_000 });
    for (let step = 0; step <= 10; step++) {
      const ack = await scenario.send({ points: [...(step < 10 ? requests(step) : []), ...(step > 0 ? errors(step - 1) : [])] });
      expect(ack.late).toBe(0);
    }
    await scenario.advanceTo(inMinute(12));
    expect(await scenario.rows()).toEqual(expected);
  });
});
