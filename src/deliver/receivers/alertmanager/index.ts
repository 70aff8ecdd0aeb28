/**
 * Alertmanager receiver: feeds an existing Alertmanager through its API v2
 * (`POST /api/v2/alerts`), as Prometheus does. Alertmanager de-duplicates by
 * label set itself; each alert also carries its transition key in the
 * `vigil_idempotency_key` annotation. Firing alerts are sent without
 * `endsAt`, so keep the route's repeatIntervalMs below Alertmanager's
 * `resolve_timeout` or it resolves them on its own.
 */
import type { Tags } from '../../../core/index.js';
import type { FieldReader } from '../../config-fields.js';
import { toIso } from '../../message-view.js';
import type { DeliveryRequest } from '../../model.js';
import { httpRequest } from '../http.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';

export interface AlertmanagerOptions {
  /** Base URL, e.g. `http://alertmanager:9093`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly bearerToken?: string;
  /** @default {} */
  readonly headers: Record<string, string>;
  /** `generatorURL` of every alert. @default '' */
  readonly generatorUrl: string;
}

export interface PostableAlert {
  readonly labels: Tags;
  readonly annotations: Tags;
  readonly startsAt: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

export const idempotencyAnnotation = 'vigil_idempotency_key';

export function postableAlerts(request: DeliveryRequest, generatorUrl: string): PostableAlert[] {
  return request.notifications.map((n) => ({
    labels: n.labels,
    annotations: { ...n.annotations, [idempotencyAnnotation]: n.key },
    startsAt: toIso(n.startsAt),
    ...(n.status === 'resolved' ? { endsAt: toIso(n.endsAt) } : {}),
    ...(generatorUrl ? { generatorURL: generatorUrl } : {}),
  }));
}

export const alertmanagerReceiverType: ReceiverType<AlertmanagerOptions> = {
  type: 'alertmanager',
  parse(f: FieldReader): AlertmanagerOptions {
    const bearerToken = f.optString('bearerToken');
    return {
      url: f.string('url').replace(/\/+$/, ''),
      ...(bearerToken ? { bearerToken } : {}),
      headers: f.stringMap('headers'),
      generatorUrl: f.optString('generatorUrl') ?? '',
    };
  },
  create(name: string, o: AlertmanagerOptions, ctx: ReceiverContext): Receiver {
    return {
      name,
      type: 'alertmanager',
      batches: true,
      async send(request, signal) {
        const headers = { ...o.headers, ...(o.bearerToken ? { authorization: `Bearer ${o.bearerToken}` } : {}) };
        await httpRequest({ receiver: name, method: 'POST', url: `${o.url}/api/v2/alerts`, headers, body: postableAlerts(request, o.generatorUrl), signal, timeoutMs: ctx.timeoutMs, clock: ctx.clock });
      },
    };
  },
};
