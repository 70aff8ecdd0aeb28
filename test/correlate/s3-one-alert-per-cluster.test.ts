// S3: node-level breaches fold into one alert per cluster; later occurrences join it.
import { describe, expect, it } from 'vitest';
import { Harness, M, rulesFrom } from './support.js';

const rules = rulesFrom(`
rule node_cpu_high {
  when cpu_percent > 90
  by (cluster, node)
  severity critical
  labels { team = "storage" }
  scope cluster
}
`);
const node = (cluster: string, n: string) => ({ cluster, node: n, team: 'storage' });

describe('S3 one alert per cluster, not per node', () => {
  it('fires once when the first node fires, folds later nodes in, and resolves when the last node clears', () => {
    const h = new Harness({ rules, groupBy: { node_cpu_high: ['cluster', 'node'] } });
    h.batch({ alerts: [h.fire('node_cpu_high', node('c1', 'n1'), 1 * M, 95)] });
    h.batch({ alerts: [h.fire('node_cpu_high', node('c1', 'n2'), 2 * M, 97), h.fire('node_cpu_high', node('c2', 'n1'), 2 * M, 91)] });
    h.batch({ alerts: [h.clear('node_cpu_high', node('c1', 'n1'), 3 * M), h.fire('node_cpu_high', node('c1', 'n3'), 4 * M)] });
    h.batch({ alerts: [h.clear('node_cpu_high', node('c1', 'n2'), 5 * M), h.clear('node_cpu_high', node('c1', 'n3'), 6 * M)] });
    h.batch({ alerts: [h.fire('node_cpu_high', node('c1', 'n2'), 9 * M)] });

    expect(h.told()).toEqual([
      `firing alert/node_cpu_high/cluster=c1 @${1 * M}`,
      `firing alert/node_cpu_high/cluster=c2 @${2 * M}`,
      `resolved alert/node_cpu_high/cluster=c1 @${6 * M}`,
      // A new occurrence after the consolidated alert resolved is a new firing.
      `firing alert/node_cpu_high/cluster=c1 @${9 * M}`,
    ]);
    expect(h.decisions.map((d) => `${d.verdict} ${d.alert.replace('alert/node_cpu_high/', '')}`)).toEqual([
      'notify cluster=c1,node=n1',
      'folded cluster=c1,node=n2',
      'notify cluster=c2,node=n1',
      'folded cluster=c1,node=n1',
      'folded cluster=c1,node=n3',
      'folded cluster=c1,node=n2',
      'notify cluster=c1,node=n3',
      'notify cluster=c1,node=n2',
    ]);
  });

  it('labels the cluster alert with the scope and the rule labels, not a node, and carries the first value', () => {
    const h = new Harness({ rules, groupBy: { node_cpu_high: ['cluster', 'node'] } });
    h.batch({ alerts: [h.fire('node_cpu_high', node('c1', 'n1'), M, 95)] });
    expect(h.notifications[0]).toMatchObject({ kind: 'alert', rule: 'node_cpu_high', alert: 'alert/node_cpu_high/cluster=c1', labels: { cluster: 'c1', team: 'storage' }, from: 'inactive', to: 'firing', value: 95, severity: 'critical' });
    expect(h.notifications[0]!.id).toBe(`alert/node_cpu_high/cluster=c1#${h.notifications[0]!.seq}`);
  });
});
