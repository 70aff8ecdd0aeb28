/** The Alertmanager webhook payload, version 4, so existing webhook consumers read Vigil unchanged. */
import { createHash } from 'node:crypto';
import type { Tags } from '../../../core/index.js';
import { commonOf, overallStatus, toIso } from '../../message-view.js';
import type { DeliveryRequest, Notification } from '../../model.js';

export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Tags;
  readonly annotations: Tags;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

export interface WebhookMessage {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Tags;
  readonly commonLabels: Tags;
  readonly commonAnnotations: Tags;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

/** Go's zero time, which Alertmanager sends as endsAt of a firing alert. */
const zeroTime = '0001-01-01T00:00:00Z';

/** Stable per alert (not per transition), like Alertmanager's label fingerprint: 16 hex digits. */
export function fingerprintOf(subject: string): string {
  return createHash('sha256').update(subject).digest('hex').slice(0, 16);
}

function alertOf(n: Notification, generatorUrl: string): WebhookAlert {
  const resolved = n.status === 'resolved';
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: n.labels,
    annotations: n.annotations,
    startsAt: toIso(n.startsAt),
    endsAt: resolved ? toIso(n.endsAt) : zeroTime,
    generatorURL: generatorUrl,
    fingerprint: fingerprintOf(n.subject),
  };
}

export interface WebhookPayloadOptions {
  /** Most alerts in one message; the rest are counted in `truncatedAlerts`. 0 = all. */
  readonly maxAlerts: number;
  readonly externalUrl: string;
}

export function webhookPayload(request: DeliveryRequest, options: WebhookPayloadOptions): WebhookMessage {
  const all = request.notifications;
  const kept = options.maxAlerts > 0 ? all.slice(0, options.maxAlerts) : all;
  return {
    version: '4',
    groupKey: request.groupKey,
    truncatedAlerts: all.length - kept.length,
    status: overallStatus(all) === 'resolved' ? 'resolved' : 'firing',
    receiver: request.receiver,
    groupLabels: request.groupLabels,
    commonLabels: commonOf(all.map((n) => n.labels)),
    commonAnnotations: commonOf(all.map((n) => n.annotations)),
    externalURL: options.externalUrl,
    alerts: kept.map((n) => alertOf(n, options.externalUrl)),
  };
}
