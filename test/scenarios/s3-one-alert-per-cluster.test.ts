/**
 * S3 — One alert per cluster, not per node (the evaluation half; the
 * correlation half — the cluster actor's consolidated alert — comes with the
 * correlate stage). `max(cpu_percent) by (cluster) > 90` for 5m with
 * `clear when … < 80`: however many nodes of a cluster run hot, and whenever
 * they join, there is one alert instance per cluster.
 */
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { inMinute, point, timeline, useScenarios } from '../support/scenario-harness.js';

/**
 * CPU % per node and one-minute step (the rule's default step). Step rules with
 * `for 5m` need 5 consecutive true steps: pending at the end of the first, firing
 * at the end of the fifth. Once firing, only the clear condition (< 80) resolves.
 *
 *   step             0   1   2   3   4   5   6   7   8   9
 *   c1 n1           60  95  88  93  50  60  85  70  82  75
 *   c1 n2           55  60  97  70  70  70  70   .  60  40
 *   c1 n3           40  40  92  50   .   .   .  95   .   .
 *   c1 n4            .   .   .   .  91  80   .   .   .   .    (joins at step 4)
 *   c1 n5            .   .   .   .   .  99   .   .   .   .    (joins at step 5)
 *   c1 max > 90      F   T   T   T   T   T   F   T   F   F
 *   c1 max < 80      .   .   .   .   .   .   F   .   F   T    (clear, while firing)
 *   c2 m1           50  92  94  96  98  70  70  70  70  70
 *   c2 m2           40  60  60  60  60  60  60  60  60  60
 */
const cpu: Record<string, Record<string, Array<number | undefined>>> = {
  c1: {
    n1: [60, 95, 88, 93, 50, 60, 85, 70, 82, 75],
    n2: [55, 60, 97, 70, 70, 70, 70, undefined, 60, 40],
    n3: [40, 40, 92, 50, undefined, undefined, undefined, 95, undefined, undefined],
    n4: [undefined, undefined, undefined, undefined, 91, 80, undefined, undefined, undefined, undefined],
    n5: [undefined, undefined, undefined, undefined, undefined, 99, undefined, undefined, undefined, undefined],
  },
  c2: {
    m1: [50, 92, 94, 96, 98, 70, 70, 70, 70, 70],
    m2: [40, 60, 60, 60, 60, 60, 60, 60, 60, 60],
  },
};

const expected = timeline(`
  time      rule              alert       transition
  00:02:00  cluster_cpu_high  cluster=c1  inactive -> pending   # step 1 is the first above 90
  00:02:00  cluster_cpu_high  cluster=c2  inactive -> pending
  00:06:00  cluster_cpu_high  cluster=c2  pending  -> inactive  # step 5 closes false at 06:00, before c2's deadline at the same instant
  00:06:00  cluster_cpu_high  cluster=c1  pending  -> firing    # steps 1-5 all above 90: deadline 02:00 + 4m
  00:10:00  cluster_cpu_high  cluster=c1  firing   -> resolved  # step 9: hottest node 75 < 80 (85 and 82 were in the hysteresis band)
`);

describe('S3 one alert per cluster, not per node', () => {
  const start = useScenarios();

  it('keeps one alert per cluster however many nodes run hot, with for 5m and hysteresis', async () => {
    const scenario = await start({ rules: scenarioRules.S3! });
    for (let step = 0; step < 10; step++) {
      const points = Object.entries(cpu).flatMap(([cluster, nodes]) =>
        Object.entries(nodes).flatMap(([node, values], i) => (values[step] === undefined ? [] : [point('cpu_percent', { cluster, node }, values[step]!, inMinute(step, 10 * (i + 1)))])),
      );
      await scenario.send({ points });
    }
    await scenario.advanceTo(inMinute(10));
    expect(await scenario.rows()).toEqual(expected);
    // Nodes that joined later (n3, n4, n5) joined c1's alert instead of opening their own.
    const alerts = new Set((await scenario.transitions()).map((e) => e.alert));
    expect([...alerts].sort()).toEqual(['alert/cluster_cpu_high/cluster=c1', 'alert/cluster_cpu_high/cluster=c2']);
  });
});
