/** Actor ids of correlate's records and of the alerts it raises. Values are URI-encoded like group keys, so ids never split wrongly. */
import type { Tags } from '../core/index.js';

const enc = encodeURIComponent;

export const clusterId = (cluster: string): string => `cluster/${enc(cluster)}`;
export const incidentId = (signature: string): string => `incident/${enc(signature)}`;
export const silenceId = (silence: string): string => `silence/${enc(silence)}`;
export const inhibitorId = (alert: string): string => `inhibitor/${alert}`;

/** The prefixes of every record correlate owns, so the engine can tell them (and their deadlines) from alert instances. */
export const CORRELATE_PREFIXES = ['cluster/', 'consolidated/', 'incident/', 'silence/', 'inhibitor/'] as const;

export function ownsActorId(id: string): boolean {
  return CORRELATE_PREFIXES.some((p) => id.startsWith(p));
}

/** The rule name and group key of an alert actor id `alert/<rule>/<group key>`. */
export function parseAlertId(alert: string): { rule: string; key: string } | undefined {
  if (!alert.startsWith('alert/')) return undefined;
  const end = alert.indexOf('/', 6);
  return end < 0 ? undefined : { rule: alert.slice(6, end), key: alert.slice(end + 1) };
}

/** The labels a group key spells (`a=1,b=x%2Cy`). */
export function labelsOfKey(key: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (key === '') return labels;
  for (const pair of key.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
  }
  return labels;
}

/** Where an alert instance's notifications go: its cluster's consolidated alert when the rule has a scope, else itself. */
export interface SubjectKey {
  /** The consolidated-alert record id. */
  readonly record: string;
  /** The notification subject. */
  readonly subject: string;
  readonly cluster: string | null;
}

export function subjectOf(alert: string, rule: string, labels: Tags, scope: string | undefined): SubjectKey {
  if (scope !== undefined) {
    const cluster = labels[scope] ?? '';
    const key = `${scope}=${enc(cluster)}`;
    return { record: `consolidated/${rule}/${key}`, subject: `alert/${rule}/${key}`, cluster };
  }
  const parsed = parseAlertId(alert);
  const key = parsed?.key ?? alert;
  return { record: `consolidated/${rule}/${key}`, subject: alert, cluster: null };
}

/** Rules of the alerts correlate raises itself. The `vigil:` prefix is reserved for them (docs/correlation.md). */
export const UPGRADE_TIMEOUT_RULE = 'vigil:cluster_upgrade_timeout';
export const UNREACHABLE_RULE = 'vigil:cluster_unreachable';

export function clusterAlertId(rule: string, cluster: string): string {
  return `alert/${rule}/cluster=${enc(cluster)}`;
}
