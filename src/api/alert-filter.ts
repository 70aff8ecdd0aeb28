/** Which alert events a StreamAlerts subscriber asked for: rules, label equality, severity, cluster. */
import { ArgumentError, type AlertEvent } from '../core/index.js';
import type { StreamAlertsRequestMsg } from './messages.js';

export type AlertFilter = (e: AlertEvent) => boolean;

const maxValues = 1000;

function checkList(field: string, values: readonly string[]): ReadonlySet<string> | undefined {
  if (values.length > maxValues) throw new ArgumentError(field, `at most ${maxValues} values`);
  if (values.some((v) => v === '')) throw new ArgumentError(field, 'values must not be empty');
  return values.length > 0 ? new Set(values) : undefined;
}

/** Builds the filter, rejecting empty or oversized criteria; an empty request matches every event. */
export function alertFilter(req: Pick<StreamAlertsRequestMsg, 'rules' | 'labels' | 'severities' | 'clusters'>): AlertFilter {
  const rules = checkList('rules', req.rules);
  const severities = checkList('severities', req.severities ?? []);
  const clusters = checkList('clusters', req.clusters ?? []);
  const labels = Object.entries(req.labels ?? {});
  if (labels.length > maxValues) throw new ArgumentError('labels', `at most ${maxValues} matchers`);
  if (labels.some(([k]) => k === '')) throw new ArgumentError('labels', 'label names must not be empty');
  return (e) =>
    (!rules || rules.has(e.rule)) &&
    (!severities || severities.has(e.severity)) &&
    (!clusters || clusters.has(e.labels.cluster ?? '')) &&
    labels.every(([k, v]) => e.labels[k] === v);
}
