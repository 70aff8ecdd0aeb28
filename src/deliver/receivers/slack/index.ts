/**
 * Slack receiver: an incoming webhook message with blocks (header, body,
 * context), one look for firing and one for resolved. Slack has no dedup
 * field for incoming webhooks; the idempotency key is shown in the context
 * line so people and bots can spot a repeat.
 */
import type { FieldReader } from '../../config-fields.js';
import { defaultBodyTemplate, defaultTitleTemplate, messageView, type MessageView } from '../../message-view.js';
import type { DeliveryRequest } from '../../model.js';
import { compileTemplate, type Template } from '../../template.js';
import { httpRequest } from '../http.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';

export interface SlackOptions {
  /** The incoming webhook URL; a secret, so use `${SLACK_WEBHOOK_URL}`. */
  readonly url: string;
  readonly channel?: string;
  readonly username?: string;
  readonly iconEmoji?: string;
  /** @default '[{{statusText}}] {{summary}}' */
  readonly title: Template;
  /** @default the shared body template (status, title, value, members, labels per alert) */
  readonly body: Template;
}

const headerMaxChars = 150;
const sectionMaxChars = 3000;
const statusIcon: Record<MessageView['status'], string> = { firing: ':red_circle:', resolved: ':large_green_circle:', acknowledged: ':large_yellow_circle:' };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function slackPayload(request: DeliveryRequest, o: Pick<SlackOptions, 'title' | 'body' | 'channel' | 'username' | 'iconEmoji'>): Record<string, unknown> {
  const view = messageView(request);
  const title = o.title.render(view).trim();
  const body = o.body.render(view).trim();
  return {
    text: title,
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.username ? { username: o.username } : {}),
    ...(o.iconEmoji ? { icon_emoji: o.iconEmoji } : {}),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(title, headerMaxChars) } },
      ...(body ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(body, sectionMaxChars) } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${statusIcon[view.status]} ${view.statusText}${view.repeat ? ' (reminder)' : ''} · key \`${view.key}\`` }] },
    ],
  };
}

export const slackReceiverType: ReceiverType<SlackOptions> = {
  type: 'slack',
  parse(f: FieldReader): SlackOptions {
    const channel = f.optString('channel');
    const username = f.optString('username');
    const iconEmoji = f.optString('iconEmoji');
    return {
      url: f.string('url'),
      ...(channel ? { channel } : {}),
      ...(username ? { username } : {}),
      ...(iconEmoji ? { iconEmoji } : {}),
      title: compileTemplate(f.optString('title') ?? defaultTitleTemplate, `${f.where}.title`),
      body: compileTemplate(f.optString('body') ?? defaultBodyTemplate, `${f.where}.body`),
    };
  },
  create(name: string, o: SlackOptions, ctx: ReceiverContext): Receiver {
    return {
      name,
      type: 'slack',
      batches: true,
      async send(request, signal) {
        await httpRequest({ receiver: name, method: 'POST', url: o.url, body: slackPayload(request, o), signal, timeoutMs: ctx.timeoutMs, clock: ctx.clock });
      },
    };
  },
};
