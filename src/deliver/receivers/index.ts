/** Receivers: one folder per destination type, all behind the one `Receiver` contract, found by `type` in config. */
import { alertmanagerReceiverType } from './alertmanager/index.js';
import { emailReceiverType } from './email/index.js';
import { jiraReceiverType } from './jira/index.js';
import { pagerDutyReceiverType } from './pagerduty/index.js';
import type { ReceiverType } from './receiver.js';
import { slackReceiverType } from './slack/index.js';
import { webhookReceiverType } from './webhook/index.js';

export type { Receiver, ReceiverContext, ReceiverType } from './receiver.js';
export { httpRequest, parseRetryAfter, isTemporaryStatus } from './http.js';

/** Every receiver type by its config `type`. */
export const receiverTypes: Readonly<Record<string, ReceiverType<unknown>>> = Object.fromEntries(
  [webhookReceiverType, slackReceiverType, pagerDutyReceiverType, emailReceiverType, jiraReceiverType, alertmanagerReceiverType].map((t) => [t.type, t as ReceiverType<unknown>]),
);
