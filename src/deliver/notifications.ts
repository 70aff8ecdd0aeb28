/** Turns committed alert and incident events into notifications; transitions nobody is told about become nothing. */
import type { Tags } from '../core/index.js';
import type { DeliverableEvent, IncidentEvent, Notification, NotificationStatus } from './model.js';

/**
 * The notification an event stands for, or undefined when the transition is
 * not worth telling (e.g. inactive → pending). Its title is the `summary`
 * annotation when the rule has one, rule and labels otherwise.
 */
export function toNotification(event: DeliverableEvent): Notification | undefined {
  if (event.kind === 'incident') return fromIncident(event);
  let status: NotificationStatus;
  if (event.to === 'firing') status = 'firing';
  else if (event.from === 'firing' && (event.to === 'resolved' || event.to === 'inactive')) status = 'resolved';
  else return undefined;
  const labels: Tags = { alertname: event.rule, severity: event.severity, ...event.labels };
  const annotations: Tags = event.annotations ?? {};
  return {
    key: event.id,
    seq: event.seq,
    subject: event.alert,
    kind: 'alert',
    status,
    labels,
    annotations,
    title: given(annotations.summary) ?? alertTitle(event.rule, event.labels),
    value: Number.isFinite(event.value) ? event.value : null,
    startsAt: event.ts,
    ...(status === 'resolved' ? { endsAt: event.ts } : {}),
  };
}

function fromIncident(event: IncidentEvent): Notification {
  const status: NotificationStatus = event.change === 'resolved' ? 'resolved' : event.change === 'acknowledged' ? 'acknowledged' : 'firing';
  return {
    key: event.id,
    seq: event.seq,
    subject: event.incident,
    kind: 'incident',
    status,
    change: event.change,
    labels: { severity: event.severity, ...event.labels },
    annotations: event.annotations ?? {},
    title: given(event.annotations?.summary) ?? event.title,
    value: null,
    startsAt: event.ts,
    ...(status === 'resolved' ? { endsAt: event.ts } : {}),
    members: event.members,
  };
}

/** An annotation worth showing: present and not blank. */
export function given(text: string | undefined): string | undefined {
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

/** Without a `summary` annotation, an alert is named by its rule and labels. */
function alertTitle(rule: string, labels: Tags): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? `${rule} (${pairs.join(', ')})` : rule;
}
