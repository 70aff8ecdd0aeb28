// S4: while a cluster upgrades its alerts are recorded but notify nobody; at the end,
// those still firing fire, those that cleared never notify; an upgrade without end times out.
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { Harness, H, lifecycle, M, rulesFrom } from './support.js';

// disk_full is S4's rule as docs/rule-language.md writes it.
const rules = rulesFrom(`${scenarioRules.S4}
rule mem_high {
  when mem_percent > 90
  by (cluster, node)
  scope cluster
}
`);
const n = (cluster: string, node: string) => ({ cluster, node });

describe('S4 do not fire while a cluster is upgrading', () => {
  it('suppresses during the upgrade, releases what still fires at its end, and forgets what cleared', () => {
    const h = new Harness({ rules });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 10 * M)] });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n1'), 12 * M), h.fire('mem_high', n('c1', 'n2'), 13 * M), h.fire('disk_full', n('c2', 'n1'), 13 * M)] });
    h.batch({ alerts: [h.clear('mem_high', n('c1', 'n2'), 15 * M)] });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.finished', 'c1', 20 * M)] });
    h.batch({ alerts: [h.clear('disk_full', n('c1', 'n1'), 25 * M)] });

    expect(h.told()).toEqual([`firing alert/disk_full/cluster=c2 @${13 * M}`, `firing alert/disk_full/cluster=c1 @${20 * M}`, `resolved alert/disk_full/cluster=c1 @${25 * M}`]);
    const upgrade = { kind: 'upgrade', id: 'cluster/c1', since: 10 * M, until: 10 * M + 2 * H, by: 'event' };
    expect(h.decisions.map((d) => (d.verdict === 'suppressed' ? [d.alert, d.verdict, d.reason] : [d.alert, d.verdict]))).toEqual([
      ['alert/disk_full/cluster=c1,node=n1', 'suppressed', upgrade],
      ['alert/mem_high/cluster=c1,node=n2', 'suppressed', upgrade],
      ['alert/disk_full/cluster=c2,node=n1', 'notify'],
      ['alert/mem_high/cluster=c1,node=n2', 'suppressed', upgrade],
      ['alert/disk_full/cluster=c1,node=n1', 'notify'],
    ]);
    expect(h.notifications[1]).toMatchObject({ cause: 'release:upgrade:cluster/c1' });
  });

  it('times an upgrade without end out, raises its own alert, and releases the cluster', () => {
    const h = new Harness({ rules, upgradeTimeoutMs: H });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 0)] });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n1'), 30 * M)], watermark: 59 * M });
    expect(h.told()).toEqual([]);
    h.batch({ watermark: 61 * M });
    expect(h.told()).toEqual([`firing alert/vigil:cluster_upgrade_timeout/cluster=c1 @${H}`, `firing alert/disk_full/cluster=c1 @${H}`]);
    expect(h.raised).toHaveLength(1);
    expect(h.raised[0]).toMatchObject({ rule: 'vigil:cluster_upgrade_timeout', alert: 'alert/vigil:cluster_upgrade_timeout/cluster=c1', labels: { cluster: 'c1' }, from: 'inactive', to: 'firing', ts: H, severity: 'warning' });
    expect(h.raised[0]!.annotations!.summary).toMatch(/upgrade of cluster c1 begun at 1970-01-01T00:00:00.000Z did not finish within 3600000 ms/);

    // The finish arrives late: the upgrade did end, so its time-out alert resolves.
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.finished', 'c1', 70 * M)] });
    expect(h.told().slice(2)).toEqual([`resolved alert/vigil:cluster_upgrade_timeout/cluster=c1 @${70 * M}`]);
  });

  it('ends an upgrade declared with an end at that end, quietly', () => {
    const h = new Harness({ rules });
    h.batch({ commands: [{ type: 'upgrade.start', cluster: 'c1', ts: 0, until: 30 * M, by: 'ana' }], alerts: [h.fire('disk_full', n('c1', 'n1'), M)] });
    h.batch({ watermark: 30 * M });
    expect(h.told()).toEqual([`firing alert/disk_full/cluster=c1 @${30 * M}`]);
    expect(h.results[0]).toMatchObject({ ok: true, record: { kind: 'cluster', snapshot: { state: 'upgrading' } } });
  });

  it('ends an upgrade by operator command as by event', () => {
    const h = new Harness({ rules });
    h.batch({ commands: [{ type: 'upgrade.start', cluster: 'c1', ts: 0, by: 'ana' }], alerts: [h.fire('disk_full', n('c1', 'n1'), M)] });
    h.batch({ commands: [{ type: 'upgrade.end', cluster: 'c1', ts: 5 * M, by: 'ana' }] });
    expect(h.told()).toEqual([`firing alert/disk_full/cluster=c1 @${5 * M}`]);
  });

  it('does not notify again an alert people were told of before the upgrade and that still fires after it', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n1'), 0)] });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c1', M), lifecycle('cluster.upgrade.finished', 'c1', 2 * M)] });
    expect(h.told()).toEqual(['firing alert/disk_full/cluster=c1 @0']);
  });
});
