import { describe, expect, it } from 'vitest';
import { CorrelateEffects } from '../../src/correlate/index.js';
import { Harness, H, lifecycle, M, rulesFrom } from './support.js';

const rules = rulesFrom(`
rule disk_full {
  when disk_used_percent > 95
  by (cluster, node)
  scope cluster
}
rule ping_high {
  when ping_ms > 500
  by (agent)
}
`);
const n1 = { cluster: 'c1', node: 'n1' };
const n2 = { cluster: 'c1', node: 'n2' };

describe('Correlator', () => {
  it('notifies an unscoped alert under its own id, and says nothing of pending', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.alert('ping_high', { agent: 'a1' }, 'inactive', 'pending', 10), h.fire('ping_high', { agent: 'a1' }, 20), h.clear('ping_high', { agent: 'a1' }, 30)] });
    expect(h.told()).toEqual(['firing alert/ping_high/agent=a1 @20', 'resolved alert/ping_high/agent=a1 @30']);
    expect(h.decisions.map((d) => d.verdict)).toEqual(['none', 'notify', 'notify']);
    expect(h.store.records.size).toBe(0);
  });

  it('applies an upgrade that begins between two alert transitions of one batch in event-time order', () => {
    const h = new Harness({ rules });
    // Given out of order on purpose: correlate merges by event time.
    h.batch({
      alerts: [h.fire('disk_full', n2, 101), h.fire('disk_full', n1, 99)],
      lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 100)],
    });
    expect(h.decisions.map((d) => [d.alert, d.verdict])).toEqual([
      ['alert/disk_full/cluster=c1,node=n1', 'notify'],
      ['alert/disk_full/cluster=c1,node=n2', 'suppressed'],
    ]);
  });

  it('applies an upgrade that ends between two alert transitions of one batch in event-time order', () => {
    const h = new Harness({ rules });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 50)] });
    h.batch({
      alerts: [h.fire('disk_full', n1, 99), h.fire('rule_without_meta', { x: '1' }, 99)],
      lifecycle: [lifecycle('cluster.upgrade.finished', 'c1', 100)],
    });
    h.batch({ alerts: [h.clear('disk_full', n1, 150)] });
    expect(h.decisions.map((d) => d.verdict)).toEqual(['suppressed', 'notify', 'notify']);
    // Still firing when the upgrade ended at 100: a new firing then.
    expect(h.told()).toEqual(['firing alert/rule_without_meta/x=1 @99', 'firing alert/disk_full/cluster=c1 @100', 'resolved alert/disk_full/cluster=c1 @150']);
  });

  it('applies lifecycle before alert events at the same event time', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('disk_full', n1, 100)], lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 100)] });
    expect(h.decisions[0]).toMatchObject({ verdict: 'suppressed', reason: { kind: 'upgrade', id: 'cluster/c1', since: 100, until: 100 + 2 * H, by: 'event' } });
  });

  it('fires its own deadlines in event-time order between the alert events of a batch', () => {
    const h = new Harness({ rules, upgradeTimeoutMs: H });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c1', 0)] });
    h.batch({ alerts: [h.fire('disk_full', n1, H - 1), h.fire('disk_full', n2, H)] });
    expect(h.decisions.map((d) => d.verdict)).toEqual(['suppressed', 'folded']);
    expect(h.told()).toEqual(['firing alert/vigil:cluster_upgrade_timeout/cluster=c1 @3600000', 'firing alert/disk_full/cluster=c1 @3600000']);
  });

  it('refuses commands on unknown clusters, silences and incidents with stable codes', () => {
    const h = new Harness({ rules });
    h.batch({
      commands: [
        { type: 'upgrade.end', cluster: 'nope', ts: 1, by: 'ana' },
        { type: 'silence.expire', id: 'nope', ts: 1, by: 'ana' },
        { type: 'incident.ack', incident: 'nope', ts: 1, by: 'ana' },
        { type: 'silence.add', silence: { id: 's', matchers: [], startsAt: 0, endsAt: 10, createdBy: 'ana' }, ts: 1 },
        { type: 'silence.add', silence: { id: 's', matchers: [{ label: 'env', op: '!=', value: 'prod' }], startsAt: 0, endsAt: 10, createdBy: 'ana' }, ts: 1 },
        { type: 'maintenance.start', cluster: 'c1', ts: 10, until: 5, by: 'ana' },
      ],
    });
    expect(h.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['CLUSTER_NOT_FOUND', 'SILENCE_NOT_FOUND', 'INCIDENT_NOT_FOUND', 'ARGUMENT_INVALID', 'ARGUMENT_INVALID', 'ARGUMENT_INVALID']);
    expect(h.store.records.size).toBe(0);
  });

  it('holds back a told alert that clears during maintenance and resolves it when the maintenance ends', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('disk_full', n1, 10)] });
    h.batch({ commands: [{ type: 'maintenance.start', cluster: 'c1', ts: 20, until: 20 + H, by: 'ana' }] });
    h.batch({ alerts: [h.clear('disk_full', n1, 30)], watermark: 20 + H });
    expect(h.decisions.at(-1)).toMatchObject({ verdict: 'suppressed', reason: { kind: 'maintenance', id: 'cluster/c1', since: 20, until: 20 + H, by: 'operator:ana' } });
    expect(h.told()).toEqual(['firing alert/disk_full/cluster=c1 @10', `resolved alert/disk_full/cluster=c1 @${20 + H}`]);
    expect([...h.store.records.keys()]).toEqual(['cluster/c1']);
    expect([...h.store.deadlines.keys()]).toEqual([]);
  });

  it('explains which upgrade holds an alert back', () => {
    const h = new Harness({ rules });
    h.batch({ commands: [{ type: 'upgrade.start', cluster: 'c1', ts: 0, by: 'ana' }], alerts: [h.fire('disk_full', n1, 5)] });
    const e = h.correlator.explain('alert/disk_full/cluster=c1,node=n1');
    expect(e).toMatchObject({ subject: 'alert/disk_full/cluster=c1', cluster: 'c1', clusterState: 'upgrading', firing: true, told: false, suppressedBy: [{ kind: 'upgrade', id: 'cluster/c1', by: 'operator:ana' }] });
    expect(e.summary).toMatch(/^firing, suppressed: cluster\/c1 is upgrading since 1970-01-01T00:00:00.000Z until 1970-01-01T02:00:00.000Z by operator:ana$/);
    expect(h.correlator.explain('alert/disk_full/cluster=c1,node=n9').summary).toMatch(/^not firing; would be suppressed: cluster\/c1 is upgrading/);
  });

  it('answers the operator listings from committed state', () => {
    const h = new Harness({ rules });
    h.batch({ commands: [{ type: 'upgrade.start', cluster: 'c1', ts: 0, by: 'ana' }, { type: 'silence.add', silence: { id: 's1', matchers: [{ label: 'node', op: '=', value: 'n1' }], startsAt: 0, endsAt: M, createdBy: 'ana' }, ts: 0 }] });
    expect(h.correlator.clusters().map((c) => [c.cluster, c.snapshot.state])).toEqual([['c1', 'upgrading']]);
    expect(h.correlator.silenceList().map((s) => s.silence)).toEqual(['s1']);
    expect(h.correlator.incidents()).toEqual([]);
  });
});

describe('Correlator.forgetRule', () => {
  it('resolves what people were told of a deleted rule and drops its records', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('disk_full', n1, 10), h.fire('ping_high', { agent: 'a1' }, 10)] });
    const fx = new CorrelateEffects();
    h.correlator.forgetRule('disk_full', 20, fx);
    h.store.commit(fx);
    expect(fx.notifications.map((e) => [e.kind === 'alert' && e.alert, e.kind === 'alert' && e.to, e.ts])).toEqual([['alert/disk_full/cluster=c1', 'resolved', 20]]);
    expect([...h.store.records.keys()]).toEqual(['consolidated/ping_high/agent=a1']);
  });
});

describe('lifecycle events', () => {
  it('read the cluster from the tag, else the field, take a declared end, and ignore other events', () => {
    const h = new Harness({ rules });
    h.batch({
      lifecycle: [
        { type: 'cluster.maintenance.started', tags: {}, fields: { cluster: 'c1', duration_ms: 30 * M }, ts: 0 },
        lifecycle('cluster.upgrade.started', 'c2', 0, { until: 10 * M }),
        { type: 'heartbeat', tags: { node: 'n1' }, fields: {}, ts: 0 },
        lifecycle('job.started', 'c3', 0),
      ],
    });
    expect(h.correlator.clusters().map((c) => [c.cluster, c.snapshot.state, c.snapshot.context.window?.deadline])).toEqual([
      ['c1', 'maintenance', 30 * M],
      ['c2', 'upgrading', 10 * M],
    ]);
    expect([...h.store.deadlines.values()].sort((a, b) => a[0] - b[0])).toEqual([[10 * M, 'cluster/c2'], [30 * M, 'cluster/c1']]);
  });
});
