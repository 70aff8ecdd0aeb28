// A restart in the middle of an upgrade, a silence, an unreachable cluster or an open
// incident changes nothing of the outcome: every record goes through JSON, a new
// Correlator is built from them and continues exactly like the one that was not stopped.
import { describe, expect, it } from 'vitest';
import { scenarioRules } from '../language/scenario-rules.js';
import { Harness, H, lifecycle, M, rulesFrom, type BatchInput } from './support.js';

const rules = rulesFrom(`${scenarioRules.S4}${scenarioRules.S5}${scenarioRules.S9}`);
const groupBy = { disk_full: ['cluster', 'node'], node_heartbeat_lost: ['cluster', 'node'], kernel_oops: ['cluster'] };
const options = { rules, groupBy, upgradeTimeoutMs: H, heartbeatTimeoutMs: 5 * M };
const n = (cluster: string, node: string) => ({ cluster, node });

/** Batches built against a harness, since alert events take their sequence numbers from it. */
const script: Array<(h: Harness) => BatchInput> = [
  () => ({ lifecycle: [lifecycle('heartbeat', 'c3', 0), lifecycle('cluster.upgrade.started', 'c1', 0)] }),
  (h) => ({ alerts: [h.fire('disk_full', n('c1', 'n1'), 5 * M), h.fire('kernel_oops', { cluster: 'c2' }, 5 * M)] }),
  (h) => ({
    commands: [{ type: 'silence.add', silence: { id: 's1', matchers: [{ label: 'cluster', op: '=', value: 'c2' }], startsAt: 10 * M, endsAt: 50 * M, createdBy: 'ana' }, ts: 10 * M }],
    alerts: [h.fire('disk_full', n('c2', 'n1'), 12 * M), h.fire('kernel_oops', { cluster: 'c3' }, 12 * M)],
  }),
  (h) => ({ alerts: [h.fire('node_heartbeat_lost', n('c3', 'n1'), 20 * M), h.fire('disk_full', n('c3', 'n2'), 21 * M)], watermark: 30 * M }),
  () => ({ commands: [{ type: 'incident.ack', incident: 'incident/kernel-oops', ts: 40 * M, by: 'ana' }], watermark: 45 * M }),
  (h) => ({ alerts: [h.clear('kernel_oops', { cluster: 'c2' }, 55 * M), h.clear('node_heartbeat_lost', n('c3', 'n1'), 58 * M)], watermark: 58 * M }),
  () => ({ lifecycle: [lifecycle('heartbeat', 'c3', 70 * M)], watermark: 70 * M }),
  (h) => ({ alerts: [h.clear('kernel_oops', { cluster: 'c3' }, 80 * M), h.clear('disk_full', n('c1', 'n1'), 81 * M)], watermark: 90 * M }),
];

function run(restartAfter: ReadonlySet<number>): Harness {
  const h = new Harness(options);
  script.forEach((batch, i) => {
    h.batch(batch(h));
    if (restartAfter.has(i)) h.restart();
  });
  return h;
}

const outcome = (h: Harness) =>
  JSON.parse(
    JSON.stringify({
      notifications: h.notifications,
      decisions: h.decisions,
      raised: h.raised,
      results: h.results,
      records: [...h.store.records].sort(([a], [b]) => (a < b ? -1 : 1)),
      deadlines: [...h.store.deadlines.keys()].sort(),
    }),
  ) as unknown;

describe('restart', () => {
  const uninterrupted = run(new Set());

  it('the script goes through an upgrade time-out, a silence, an unreachable cluster and an incident', () => {
    expect(uninterrupted.told()).toEqual([
      // c3's heartbeat deadline (0 + 5m) passes before the alerts at 5m are applied.
      `firing alert/vigil:cluster_unreachable/cluster=c3 @${5 * M}`,
      `opened incident/kernel-oops joined:c2 @${5 * M}`,
      `acknowledged incident/kernel-oops @${40 * M}`,
      // The silence on c2 ends at 50m; the incident keeps resolving although acknowledged.
      `firing alert/disk_full/cluster=c2 @${50 * M}`,
      `resolved incident/kernel-oops recovered:c2 @${55 * M}`,
      // c1's upgrade had no end: it times out after 1h and releases c1.
      `firing alert/vigil:cluster_upgrade_timeout/cluster=c1 @${H}`,
      `firing alert/disk_full/cluster=c1 @${H}`,
      // c3 is reachable again: what still fires there is told now, its kernel oops as a new occurrence.
      `resolved alert/vigil:cluster_unreachable/cluster=c3 @${70 * M}`,
      `opened incident/kernel-oops joined:c3 @${70 * M}`,
      `firing alert/disk_full/cluster=c3 @${70 * M}`,
      `firing alert/vigil:cluster_unreachable/cluster=c3 @${75 * M}`,
      `resolved alert/disk_full/cluster=c1 @${81 * M}`,
    ]);
  });

  for (let i = 0; i < script.length - 1; i++) {
    it(`after batch ${i + 1} changes nothing`, () => {
      expect(outcome(run(new Set([i])))).toEqual(outcome(uninterrupted));
    });
  }

  it('after every batch changes nothing', () => {
    expect(outcome(run(new Set(script.map((_, i) => i))))).toEqual(outcome(uninterrupted));
  });
});
