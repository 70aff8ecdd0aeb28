/**
 * What templates see: one delivery as plain data (labels, annotations,
 * values, incident members, timestamps as ISO text), plus the summary and
 * status text most titles want. Also the default title and body templates.
 */
import type { Tags } from '../core/index.js';
import type { DeliveryRequest, IncidentMember, Notification, NotificationStatus } from './model.js';
import { given } from './notifications.js';

export interface NotificationView {
  readonly key: string;
  readonly subject: string;
  readonly kind: 'alert' | 'incident';
  readonly status: NotificationStatus;
  readonly change: string;
  /** The `summary` annotation, else rule and labels. */
  readonly title: string;
  /** The `description` annotation; '' when the rule has none. */
  readonly description: string;
  readonly rule: string;
  readonly severity: string;
  readonly labels: Tags;
  readonly annotations: Tags;
  readonly value: number | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly members: readonly IncidentMember[];
}

export interface MessageView {
  readonly receiver: string;
  readonly key: string;
  readonly status: NotificationStatus;
  /** `FIRING`, `RESOLVED`, `FIRING:3` (Alertmanager's habit), `ACKNOWLEDGED`. */
  readonly statusText: string;
  readonly repeat: boolean;
  readonly summary: string;
  readonly count: number;
  readonly groupLabels: Tags;
  readonly commonLabels: Tags;
  readonly commonAnnotations: Tags;
  readonly alerts: readonly NotificationView[];
  readonly firing: readonly NotificationView[];
  readonly resolved: readonly NotificationView[];
}

export const defaultTitleTemplate = '[{{statusText}}] {{summary}}';
export const defaultBodyTemplate =
  '{{#each alerts}}{{status}}: {{title}}\n{{#if description}}{{description}}\n{{/if}}{{#if value}}value: {{value}}\n{{/if}}{{#if members}}members: {{#each members}}{{id}} ({{state}}) {{/each}}\n{{/if}}labels: {{labels}}\nsince: {{startsAt}}\n\n{{/each}}';

export function toIso(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '' : new Date(ms).toISOString();
}

export function notificationView(n: Notification): NotificationView {
  return {
    key: n.key,
    subject: n.subject,
    kind: n.kind,
    status: n.status,
    change: n.change ?? '',
    title: n.title,
    description: given(n.annotations.description) ?? '',
    rule: n.labels.alertname ?? '',
    severity: n.labels.severity ?? '',
    labels: n.labels,
    annotations: n.annotations,
    value: n.value,
    startsAt: toIso(n.startsAt),
    endsAt: toIso(n.endsAt),
    members: n.members ?? [],
  };
}

/** The overall status of a delivery: firing while anything in it fires. */
export function overallStatus(notifications: readonly Notification[]): NotificationStatus {
  if (notifications.some((n) => n.status === 'firing')) return 'firing';
  if (notifications.some((n) => n.status === 'acknowledged')) return 'acknowledged';
  return 'resolved';
}

/** Labels (or annotations) every notification shares with the same value. */
export function commonOf(maps: readonly Tags[]): Tags {
  const [first, ...rest] = maps;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

export function messageView(request: DeliveryRequest): MessageView {
  const alerts = request.notifications.map(notificationView);
  const status = overallStatus(request.notifications);
  const firing = alerts.filter((a) => a.status !== 'resolved');
  const resolved = alerts.filter((a) => a.status === 'resolved');
  const count = status === 'resolved' ? resolved.length : firing.length;
  const groupText = Object.entries(request.groupLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const summary = alerts.length === 1 ? alerts[0]!.title : `${alerts.length} alerts${groupText ? ` for ${groupText}` : ''}`;
  return {
    receiver: request.receiver,
    key: request.key,
    status,
    statusText: `${status.toUpperCase()}${count > 1 ? `:${count}` : ''}`,
    repeat: request.repeat,
    summary,
    count: alerts.length,
    groupLabels: request.groupLabels,
    commonLabels: commonOf(request.notifications.map((n) => n.labels)),
    commonAnnotations: commonOf(request.notifications.map((n) => n.annotations)),
    alerts,
    firing,
    resolved,
  };
}
