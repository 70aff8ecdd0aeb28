// S5: the same signature on many clusters is one incident, joined and recovered by
// clusters, resolved with the last one; one ticket's worth of events, not one per cluster.
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { Harness, lifecycle, M, rulesFrom } from './support.js';

// S5's rule as docs/rule-language.md writes it.
const rules = rulesFrom(scenarioRules.S5!);
const c = (cluster: string) => ({ cluster });

describe('S5 same signature across clusters → one incident', () => {
  it('opens with the first cluster, lists clusters as they join and recover, and resolves with the last', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('kernel_oops', c('c1'), 1 * M)] });
    h.batch({ alerts: [h.fire('kernel_oops', c('c2'), 2 * M), h.fire('kernel_oops', c('c3'), 3 * M)] });
    h.batch({ alerts: [h.clear('kernel_oops', c('c1'), 40 * M)] });
    h.batch({ alerts: [h.clear('kernel_oops', c('c2'), 41 * M), h.clear('kernel_oops', c('c3'), 42 * M)] });

    expect(h.told()).toEqual([
      `opened incident/kernel-oops joined:c1 @${1 * M}`,
      `members-changed incident/kernel-oops joined:c2 @${2 * M}`,
      `members-changed incident/kernel-oops joined:c3 @${3 * M}`,
      `members-changed incident/kernel-oops recovered:c1 @${40 * M}`,
      `members-changed incident/kernel-oops recovered:c2 @${41 * M}`,
      `resolved incident/kernel-oops recovered:c3 @${42 * M}`,
    ]);
    // No per-cluster alert notifications: the incident stands for them.
    expect(h.notifications.every((n) => n.kind === 'incident')).toBe(true);
    expect(h.decisions.map((d) => d.verdict)).toEqual(['notify', 'notify', 'notify', 'notify', 'notify', 'notify']);
    const third = h.notifications[2]!;
    expect(third).toMatchObject({
      kind: 'incident',
      incident: 'incident/kernel-oops',
      title: 'kernel-oops',
      labels: { signature: 'kernel-oops', alertname: 'kernel_oops' },
      severity: 'critical',
      occurrence: 1,
      acknowledged: false,
      members: [
        { id: 'c1', labels: { cluster: 'c1' }, state: 'firing' },
        { id: 'c2', labels: { cluster: 'c2' }, state: 'firing' },
        { id: 'c3', labels: { cluster: 'c3' }, state: 'firing' },
      ],
    });
    expect(third.id).toBe(`incident/kernel-oops#${third.seq}`);
    expect(h.notifications.at(-1)).toMatchObject({ change: 'resolved', members: [{ state: 'resolved' }, { state: 'resolved' }, { state: 'resolved' }] });
  });

  it('keeps resolving after an acknowledgement and opens a new occurrence later', () => {
    const h = new Harness({ rules });
    h.batch({ alerts: [h.fire('kernel_oops', c('c1'), M)] });
    h.batch({ commands: [{ type: 'incident.ack', incident: 'kernel-oops', ts: 2 * M, by: 'ana' }] });
    h.batch({ alerts: [h.fire('kernel_oops', c('c2'), 3 * M)] });
    h.batch({ alerts: [h.clear('kernel_oops', c('c1'), 4 * M), h.clear('kernel_oops', c('c2'), 5 * M)] });
    h.batch({ alerts: [h.fire('kernel_oops', c('c4'), 9 * M)] });
    expect(h.told()).toEqual([
      `opened incident/kernel-oops joined:c1 @${M}`,
      `acknowledged incident/kernel-oops @${2 * M}`,
      `members-changed incident/kernel-oops joined:c2 @${3 * M}`,
      `members-changed incident/kernel-oops recovered:c1 @${4 * M}`,
      `resolved incident/kernel-oops recovered:c2 @${5 * M}`,
      `opened incident/kernel-oops joined:c4 @${9 * M}`,
    ]);
    expect(h.notifications.map((n) => n.kind === 'incident' && n.acknowledged)).toEqual([false, true, true, true, true, false]);
    expect(h.notifications.at(-1)).toMatchObject({ occurrence: 2, members: [{ id: 'c4' }] });
    expect(h.results[0]).toMatchObject({ ok: true, record: { id: 'incident/kernel-oops', snapshot: { state: 'acknowledged' } } });
  });

  it('lets a cluster under upgrade join only when its upgrade ends, if still firing', () => {
    const h = new Harness({ rules });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.started', 'c2', 0)] });
    h.batch({ alerts: [h.fire('kernel_oops', c('c1'), M), h.fire('kernel_oops', c('c2'), 2 * M)] });
    h.batch({ lifecycle: [lifecycle('cluster.upgrade.finished', 'c2', 10 * M)] });
    expect(h.told()).toEqual([`opened incident/kernel-oops joined:c1 @${M}`, `members-changed incident/kernel-oops joined:c2 @${10 * M}`]);
    expect(h.decisions[1]).toMatchObject({ verdict: 'suppressed', reason: { kind: 'upgrade', id: 'cluster/c2' } });
  });
});
