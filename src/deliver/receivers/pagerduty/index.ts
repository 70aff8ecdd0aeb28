/**
 * PagerDuty receiver: Events API v2. `dedup_key` is the alert or incident id,
 * so a trigger, its acknowledge and its resolve land on one PagerDuty alert
 * and a re-sent trigger is merged by PagerDuty; the transition's own
 * idempotency key travels in `custom_details.idempotency_key`.
 */
import type { FieldReader } from '../../config-fields.js';
import { messageView, toIso } from '../../message-view.js';
import type { DeliveryRequest, Notification } from '../../model.js';
import { compileTemplate, type Template } from '../../template.js';
import { httpRequest } from '../http.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';

export interface PagerDutyOptions {
  /** The integration's routing key; a secret, so use `${PAGERDUTY_ROUTING_KEY}`. */
  readonly routingKey: string;
  /** @default 'https://events.pagerduty.com/v2/enqueue' */
  readonly url: string;
  /** `payload.source`. @default 'vigil' */
  readonly source: string;
  /** `payload.summary`. @default '{{summary}}' */
  readonly summary: Template;
  /** A link back to Vigil in `client_url`. @default none */
  readonly clientUrl?: string;
}

type PdSeverity = 'critical' | 'error' | 'warning' | 'info';
const severities = new Set<string>(['critical', 'error', 'warning', 'info']);
const summaryMaxChars = 1024;
const action = { firing: 'trigger', acknowledged: 'acknowledge', resolved: 'resolve' } as const;

function pdSeverity(s: string | undefined): PdSeverity {
  if (s && severities.has(s)) return s as PdSeverity;
  if (s === 'page' || s === 'high') return 'critical';
  if (s === 'low') return 'info';
  return 'error';
}

/** The Events API v2 body for the (single) notification of a delivery. */
export function pagerDutyEvent(request: DeliveryRequest, o: Omit<PagerDutyOptions, 'url'>): Record<string, unknown> {
  const n: Notification = request.notifications[0]!;
  const base = { routing_key: o.routingKey, event_action: action[n.status], dedup_key: n.subject };
  if (n.status !== 'firing') return base;
  const summary = o.summary.render(messageView(request)).trim() || n.title;
  return {
    ...base,
    payload: {
      summary: summary.slice(0, summaryMaxChars),
      source: o.source,
      severity: pdSeverity(n.labels.severity),
      timestamp: toIso(n.startsAt),
      ...(n.labels.alertname ? { class: n.labels.alertname } : {}),
      ...(n.labels.cluster ? { group: n.labels.cluster } : {}),
      custom_details: {
        idempotency_key: request.key,
        labels: n.labels,
        ...(Object.keys(n.annotations).length > 0 ? { annotations: n.annotations } : {}),
        ...(n.value !== null ? { value: n.value } : {}),
        ...(n.members ? { members: n.members.map((m) => `${m.id} (${m.state})`) } : {}),
      },
    },
    client: 'Vigil',
    ...(o.clientUrl ? { client_url: o.clientUrl } : {}),
  };
}

export const pagerDutyReceiverType: ReceiverType<PagerDutyOptions> = {
  type: 'pagerduty',
  parse(f: FieldReader): PagerDutyOptions {
    const clientUrl = f.optString('clientUrl');
    return {
      routingKey: f.string('routingKey'),
      url: f.optString('url') ?? 'https://events.pagerduty.com/v2/enqueue',
      source: f.optString('source') ?? 'vigil',
      summary: compileTemplate(f.optString('summary') ?? '{{summary}}', `${f.where}.summary`),
      ...(clientUrl ? { clientUrl } : {}),
    };
  },
  create(name: string, o: PagerDutyOptions, ctx: ReceiverContext): Receiver {
    return {
      name,
      type: 'pagerduty',
      batches: false,
      async send(request, signal) {
        await httpRequest({ receiver: name, method: 'POST', url: o.url, body: pagerDutyEvent(request, o), signal, timeoutMs: ctx.timeoutMs, clock: ctx.clock });
      },
    };
  },
};
