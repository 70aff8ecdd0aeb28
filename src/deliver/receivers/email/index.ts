/**
 * E-mail receiver: one message per delivery over SMTP (nodemailer). The
 * idempotency key becomes the Message-ID (what mail systems de-duplicate on)
 * and an `X-Vigil-Idempotency-Key` header; messages of one group thread
 * together through `References`. SMTP 5xx replies are permanent, the rest
 * (4xx, connection failures, timeouts) temporary.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { FieldReader } from '../../config-fields.js';
import { DeliveryRejectedError, ReceiverUnavailableError } from '../../errors.js';
import { defaultBodyTemplate, defaultTitleTemplate, messageView } from '../../message-view.js';
import type { DeliveryRequest } from '../../model.js';
import { compileTemplate, type Template } from '../../template.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';

export interface EmailOptions {
  readonly to: readonly string[];
  readonly from: string;
  readonly host: string;
  /** @default 587 */
  readonly port: number;
  /** TLS from the first byte (port 465). @default false */
  readonly secure: boolean;
  /** Refuse to send without STARTTLS. @default false */
  readonly requireTls: boolean;
  readonly user?: string;
  /** A secret: use `${SMTP_PASSWORD}`. */
  readonly password?: string;
  /** @default '[{{statusText}}] {{summary}}' */
  readonly subject: Template;
  /** Plain-text body. @default the shared body template */
  readonly body: Template;
}

export interface EmailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly references: string;
  readonly headers: Record<string, string>;
}

export const emailIdempotencyHeader = 'X-Vigil-Idempotency-Key';

function mailDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'vigil.invalid';
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function emailMessage(request: DeliveryRequest, o: Pick<EmailOptions, 'to' | 'from' | 'subject' | 'body'>): EmailMessage {
  const view = messageView(request);
  const domain = mailDomain(o.from);
  return {
    from: o.from,
    to: o.to.join(', '),
    subject: o.subject.render(view).trim(),
    text: o.body.render(view),
    // Keys hold characters a Message-ID may not; a digest of the key is just as deterministic.
    messageId: `<vigil.${digest(request.key)}@${domain}>`,
    references: `<vigil.group.${digest(`${request.receiver}\n${request.groupKey}`)}@${domain}>`,
    headers: { [emailIdempotencyHeader]: request.key },
  };
}

function classify(name: string, e: unknown): Error {
  const err = e as { responseCode?: number; code?: string; message?: string };
  const detail = err.responseCode ? `SMTP ${err.responseCode}${err.code ? ` (${err.code})` : ''}` : (err.code ?? err.message ?? 'send failed');
  const status = err.responseCode;
  if (status !== undefined && status >= 500) return new DeliveryRejectedError(name, detail, { status, cause: e });
  return new ReceiverUnavailableError(name, detail, { ...(status !== undefined ? { status } : {}), cause: e });
}

export const emailReceiverType: ReceiverType<EmailOptions> = {
  type: 'email',
  parse(f: FieldReader): EmailOptions {
    const to = f.strings('to');
    if (to.length === 0) f.string('to');
    const user = f.optString('user');
    const password = f.optString('password');
    return {
      to,
      from: f.string('from'),
      host: f.string('host'),
      port: f.number('port', 587),
      secure: f.boolean('secure', false),
      requireTls: f.boolean('requireTls', false),
      ...(user ? { user } : {}),
      ...(password ? { password } : {}),
      subject: compileTemplate(f.optString('subject') ?? defaultTitleTemplate, `${f.where}.subject`),
      body: compileTemplate(f.optString('body') ?? defaultBodyTemplate, `${f.where}.body`),
    };
  },
  create(name: string, o: EmailOptions, ctx: ReceiverContext): Receiver {
    const transport = nodemailer.createTransport({
      host: o.host,
      port: o.port,
      secure: o.secure,
      requireTLS: o.requireTls,
      ...(o.user ? { auth: { user: o.user, pass: o.password ?? '' } } : {}),
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
    });
    return {
      name,
      type: 'email',
      batches: true,
      async send(request, signal) {
        signal.throwIfAborted();
        const m = emailMessage(request, o);
        try {
          await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId, references: m.references, inReplyTo: m.references, headers: m.headers });
        } catch (e) {
          throw classify(name, e);
        }
      },
      async close() {
        transport.close();
      },
    };
  },
};
