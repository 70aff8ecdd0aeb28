import { describe, expect, it } from 'vitest';
import type { OperatorCommand } from '../../src/correlate/index.js';
import { Harness, H, M, rulesFrom } from './support.js';

const rules = rulesFrom(`
rule ping_high {
  when ping_ms > 500
  by (agent)
}
rule disk_full {
  when disk_used_percent > 95
  by (cluster, node)
  scope cluster
}
`);
const groupBy = { ping_high: ['agent'], disk_full: ['cluster', 'node'] };
const silence = (id: string, label: string, value: string, startsAt: number, endsAt: number, ts = startsAt): OperatorCommand => ({
  type: 'silence.add',
  silence: { id, matchers: [{ label, op: '=', value }], startsAt, endsAt, createdBy: 'ana', comment: 'noisy' },
  ts,
});

describe('silences', () => {
  it('hold matching alerts back until they end, then release those still firing; those that cleared never notify', () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ commands: [silence('s1', 'alertname', 'ping_high', 0, H)] });
    h.batch({ alerts: [h.fire('ping_high', { agent: 'a1' }, 10 * M), h.fire('ping_high', { agent: 'a2' }, 11 * M), h.clear('ping_high', { agent: 'a2' }, 12 * M)] });
    h.batch({ watermark: H });
    expect(h.told()).toEqual([`firing alert/ping_high/agent=a1 @${H}`]);
    expect(h.decisions.map((d) => (d.verdict === 'suppressed' ? `${d.reason.kind}:${d.reason.id}` : d.verdict))).toEqual(['silence:silence/s1', 'silence:silence/s1', 'silence:silence/s1']);
    expect(h.decisions[0]).toMatchObject({ reason: { since: 0, until: H, by: 'ana' } });
    expect(h.notifications[0]).toMatchObject({ cause: 'release:silence:silence/s1' });
    expect([...h.store.deadlines.keys()]).toEqual([]);
  });

  it('release at once when an operator expires them early, and stay listed as expired', () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ commands: [silence('s1', 'agent', 'a1', 0, H)], alerts: [h.fire('ping_high', { agent: 'a1' }, M)] });
    h.batch({ commands: [{ type: 'silence.expire', id: 's1', ts: 5 * M, by: 'ana' }] });
    h.batch({ commands: [{ type: 'silence.expire', id: 's1', ts: 6 * M, by: 'ana' }], watermark: 2 * H });
    expect(h.told()).toEqual([`firing alert/ping_high/agent=a1 @${5 * M}`]);
    expect(h.results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(h.correlator.silenceList()).toMatchObject([{ silence: 's1', expiredAt: 5 * M, affected: [] }]);
    expect([...h.store.deadlines.keys()]).toEqual([]);
  });

  it('do nothing before they start', () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ commands: [silence('s1', 'agent', 'a1', 30 * M, H, 0)], alerts: [h.fire('ping_high', { agent: 'a1' }, M)] });
    expect(h.told()).toEqual([`firing alert/ping_high/agent=a1 @${M}`]);
  });

  it('hold back one node of a cluster alert while the others notify, and never silence what people were already told', () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ commands: [silence('s1', 'node', 'n1', 0, H)], alerts: [h.fire('disk_full', { cluster: 'c1', node: 'n1' }, M)] });
    h.batch({ alerts: [h.fire('disk_full', { cluster: 'c1', node: 'n2' }, 2 * M), h.fire('disk_full', { cluster: 'c1', node: 'n1' }, 3 * M)] });
    h.batch({ commands: [silence('s2', 'node', 'n2', 4 * M, H)] });
    h.batch({ alerts: [h.clear('disk_full', { cluster: 'c1', node: 'n2' }, 5 * M), h.clear('disk_full', { cluster: 'c1', node: 'n1' }, 6 * M)] });
    expect(h.told()).toEqual([`firing alert/disk_full/cluster=c1 @${2 * M}`, `resolved alert/disk_full/cluster=c1 @${6 * M}`]);
    expect(h.decisions.map((d) => d.verdict)).toEqual(['suppressed', 'notify', 'suppressed', 'suppressed', 'notify']);
  });

  it('are named in explanations', () => {
    const h = new Harness({ rules, groupBy });
    h.batch({ commands: [silence('s1', 'agent', 'a1', 0, H)], alerts: [h.fire('ping_high', { agent: 'a1' }, M)] });
    const e = h.correlator.explain('alert/ping_high/agent=a1');
    expect(e.suppressedBy).toEqual([{ kind: 'silence', id: 'silence/s1', since: 0, until: H, by: 'ana' }]);
    expect(e.summary).toBe('firing, suppressed: silence/s1 since 1970-01-01T00:00:00.000Z until 1970-01-01T01:00:00.000Z by ana');
  });
});
