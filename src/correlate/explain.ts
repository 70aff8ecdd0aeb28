/** Why an alert instance does or does not notify: the answer behind `vigil actors inspect alert/…`. */
import type { ClusterStateValue, IncidentStateValue } from '../../actors/index.js';
import type { Clusters } from './clusters.js';
import type { Consolidator } from './consolidate.js';
import { incidentId, labelsOfKey, parseAlertId, subjectOf } from './ids.js';
import type { SuppressionReason } from './model.js';
import type { RecordCache } from './record-cache.js';
import type { RuleLookup } from './rule-meta.js';

export interface Explanation {
  readonly alert: string;
  /** The notification subject it folds into: its cluster's consolidated alert, or itself. */
  readonly subject: string;
  readonly cluster: string | null;
  readonly clusterState: ClusterStateValue | null;
  /** Firing as far as correlate knows (a member of its consolidated alert). */
  readonly firing: boolean;
  /** People were told the subject fires. */
  readonly told: boolean;
  /** Everything holding it back now, the cluster's window first; empty when nothing does. */
  readonly suppressedBy: readonly SuppressionReason[];
  readonly incident: { readonly id: string; readonly state: IncidentStateValue } | null;
  /** One line for humans. */
  readonly summary: string;
}

export interface ExplainDeps {
  readonly records: RecordCache;
  readonly rules: RuleLookup;
  readonly consolidator: Consolidator;
  readonly clusters: Clusters;
}

export function explainAlert(alert: string, at: number, d: ExplainDeps): Explanation {
  const parsed = parseAlertId(alert);
  const rule = parsed?.rule ?? '';
  const labels = labelsOfKey(parsed?.key ?? '');
  const key = subjectOf(alert, rule, labels, d.rules(rule)?.scope);
  const rec = d.records.get(key.record, 'consolidated');
  const firing = rec?.members[alert] !== undefined;
  const window = d.clusters.windowOf(key.cluster);
  const suppressedBy = rec && firing ? d.consolidator.explainMember(rec, alert, at) : window ? [window] : [];
  const incident = rec?.signature != null ? d.records.get(incidentId(rec.signature), 'incident') : undefined;
  const told = rec?.told != null;
  const explanation = {
    alert,
    subject: key.subject,
    cluster: key.cluster,
    clusterState: key.cluster !== null ? (d.clusters.get(key.cluster)?.snapshot.state ?? 'active') : null,
    firing,
    told,
    suppressedBy,
    incident: incident ? { id: incident.id, state: incident.snapshot.state } : null,
  };
  return { ...explanation, summary: summarize(explanation) };
}

function summarize(e: Omit<Explanation, 'summary'>): string {
  const why = e.suppressedBy.map(describe).join('; ');
  if (!e.firing) return why ? `not firing; would be suppressed: ${why}` : 'not firing';
  if (e.told) return `firing and notified as ${e.incident ? e.incident.id : e.subject}${why ? ` (now also suppressed: ${why})` : ''}`;
  return why ? `firing, suppressed: ${why}` : 'firing';
}

export function describe(r: SuppressionReason): string {
  const span = `since ${new Date(r.since).toISOString()}${r.until !== undefined ? ` until ${new Date(r.until).toISOString()}` : ''}`;
  const by = r.by ? ` by ${r.by}` : '';
  switch (r.kind) {
    case 'upgrade':
      return `${r.id} is upgrading ${span}${by}`;
    case 'maintenance':
      return `${r.id} is in maintenance ${span}${by}`;
    case 'silence':
      return `${r.id} ${span}${by}`;
    case 'inhibition':
      return `inhibited by ${r.id} ${span}${by ? ` (${r.by})` : ''}`;
  }
}
