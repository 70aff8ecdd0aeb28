/**
 * Webhook receiver: POSTs the Alertmanager webhook JSON (version 4) with the
 * delivery's idempotency key in an `Idempotency-Key` header and, when a
 * secret is configured, an HMAC-SHA256 of the exact body in a signature header.
 */
import { createHmac } from 'node:crypto';
import type { FieldReader } from '../../config-fields.js';
import { httpRequest } from '../http.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';
import { webhookPayload } from './payload.js';

export { webhookPayload, fingerprintOf, type WebhookMessage, type WebhookAlert } from './payload.js';

export interface WebhookOptions {
  readonly url: string;
  /** Signs each body when set; from the environment, e.g. `${VIGIL_WEBHOOK_SECRET}`. */
  readonly hmacSecret?: string;
  /** Header carrying `sha256=<hex HMAC of the body>`. @default 'X-Vigil-Signature' */
  readonly signatureHeader: string;
  /** Extra headers (e.g. Authorization), values may use `${ENV}`. @default {} */
  readonly headers: Record<string, string>;
  /** @default 0 (no limit) */
  readonly maxAlerts: number;
  /** Link to Vigil shown to consumers as externalURL. @default '' */
  readonly externalUrl: string;
}

export const idempotencyHeader = 'Idempotency-Key';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export const webhookReceiverType: ReceiverType<WebhookOptions> = {
  type: 'webhook',
  parse(f: FieldReader): WebhookOptions {
    const hmacSecret = f.optString('hmacSecret');
    return {
      url: f.string('url'),
      ...(hmacSecret ? { hmacSecret } : {}),
      signatureHeader: f.optString('signatureHeader') ?? 'X-Vigil-Signature',
      headers: f.stringMap('headers'),
      maxAlerts: f.number('maxAlerts', 0),
      externalUrl: f.optString('externalUrl') ?? '',
    };
  },
  create(name: string, o: WebhookOptions, ctx: ReceiverContext): Receiver {
    return {
      name,
      type: 'webhook',
      batches: true,
      async send(request, signal) {
        const body = JSON.stringify(webhookPayload(request, o));
        const headers: Record<string, string> = { ...o.headers, 'content-type': 'application/json', [idempotencyHeader]: request.key };
        if (o.hmacSecret) headers[o.signatureHeader] = signBody(body, o.hmacSecret);
        await httpRequest({ receiver: name, method: 'POST', url: o.url, headers, body, signal, timeoutMs: ctx.timeoutMs, clock: ctx.clock });
      },
    };
  },
};
