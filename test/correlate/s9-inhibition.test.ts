// S9 (inhibition half): while a node's heartbeats are missing, or the whole cluster is
// unreachable, the cluster's other alerts are inhibited; general inhibition rules too.
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { Harness, lifecycle, M, rulesFrom } from './support.js';

// node_heartbeat_lost is S9's rule as docs/rule-language.md writes it.
const rules = rulesFrom(`${scenarioRules.S9}
rule disk_full {
  when disk_used_percent > 95
  by (cluster, node)
  severity warning
  scope cluster
}
rule dc_power_lost {
  when power_ok < 1
  by (dc)
}
rule ping_high {
  when ping_ms > 500
  by (dc, agent)
  severity warning
}
`);
const groupBy = { node_heartbeat_lost: ['cluster', 'node'], disk_full: ['cluster', 'node'], dc_power_lost: ['dc'], ping_high: ['dc', 'agent'] };
const severity = { disk_full: 'warning', ping_high: 'warning' };
const n = (cluster: string, node: string) => ({ cluster, node });

describe('S9 inhibition', () => {
  it("inhibits the cluster's other alerts while a rule with `inhibit` fires, and releases them after", () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ alerts: [h.fire('node_heartbeat_lost', n('c1', 'n1'), 10 * M)] });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n2'), 11 * M), h.fire('disk_full', n('c2', 'n2'), 11 * M)] });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n3'), 12 * M), h.clear('disk_full', n('c1', 'n3'), 13 * M)] });
    h.batch({ alerts: [h.clear('node_heartbeat_lost', n('c1', 'n1'), 20 * M)] });

    expect(h.told()).toEqual([
      `firing alert/node_heartbeat_lost/cluster=c1 @${10 * M}`,
      `firing alert/disk_full/cluster=c2 @${11 * M}`,
      `resolved alert/node_heartbeat_lost/cluster=c1 @${20 * M}`,
      // Still firing when the inhibition ended: a new firing then.
      `firing alert/disk_full/cluster=c1 @${20 * M}`,
    ]);
    const inhibition = { kind: 'inhibition', id: 'alert/node_heartbeat_lost/cluster=c1,node=n1', since: 10 * M, by: 'rule node_heartbeat_lost' };
    expect(h.decisions.slice(1, 5).map((d) => (d.verdict === 'suppressed' ? d.reason : d.verdict))).toEqual([inhibition, 'notify', inhibition, inhibition]);
    expect(h.notifications.at(-1)).toMatchObject({ cause: 'release:inhibition:alert/node_heartbeat_lost/cluster=c1,node=n1' });
    expect([...h.store.records.keys()].filter((k) => k.startsWith('inhibitor/'))).toEqual([]);
  });

  it("marks a cluster unreachable when its heartbeats stop, raises that alert, and holds the cluster's alerts until heartbeats return", () => {
    const h = new Harness({ rules, groupBy, heartbeatTimeoutMs: 5 * M });
    h.batch({ lifecycle: [lifecycle('heartbeat', 'c1', 0), lifecycle('heartbeat', 'c1', M)] });
    h.batch({ alerts: [h.fire('disk_full', n('c1', 'n1'), 7 * M)] });
    h.batch({ lifecycle: [lifecycle('heartbeat', 'c1', 10 * M)] });

    expect(h.told()).toEqual([
      `firing alert/vigil:cluster_unreachable/cluster=c1 @${6 * M}`,
      `resolved alert/vigil:cluster_unreachable/cluster=c1 @${10 * M}`,
      `firing alert/disk_full/cluster=c1 @${10 * M}`,
    ]);
    expect(h.decisions[0]).toMatchObject({ verdict: 'suppressed', reason: { kind: 'inhibition', id: 'alert/vigil:cluster_unreachable/cluster=c1', since: 6 * M, by: 'cluster unreachable' } });
    expect(h.raised.map((e) => [e.rule, e.to, e.ts])).toEqual([
      ['vigil:cluster_unreachable', 'firing', 6 * M],
      ['vigil:cluster_unreachable', 'resolved', 10 * M],
    ]);
  });

  it('applies configured inhibition rules: source matchers, target matchers, equal labels', () => {
    const h = new Harness({
      rules,
      groupBy,
      severity,
      inhibitions: [{ name: 'power', source: [{ label: 'alertname', op: '=', value: 'dc_power_lost' }], target: [{ label: 'severity', op: '=', value: 'warning' }], equal: ['dc'] }],
    });
    h.batch({ alerts: [h.fire('dc_power_lost', { dc: 'fra' }, M)] });
    h.batch({ alerts: [h.fire('ping_high', { dc: 'fra', agent: 'a1' }, 2 * M), h.fire('ping_high', { dc: 'ams', agent: 'a1' }, 2 * M)] });
    h.batch({ alerts: [h.clear('dc_power_lost', { dc: 'fra' }, 5 * M)] });
    expect(h.told()).toEqual([
      `firing alert/dc_power_lost/dc=fra @${M}`,
      `firing alert/ping_high/dc=ams,agent=a1 @${2 * M}`,
      `resolved alert/dc_power_lost/dc=fra @${5 * M}`,
      `firing alert/ping_high/dc=fra,agent=a1 @${5 * M}`,
    ]);
    expect(h.decisions[1]).toMatchObject({ verdict: 'suppressed', reason: { kind: 'inhibition', id: 'alert/dc_power_lost/dc=fra', by: 'inhibit_rules power' } });
  });
});
