/**
 * Jira Cloud ticket receiver: one issue per incident (or per alert when no
 * incident groups it). The issue carries an idempotency label derived from
 * the subject, so after a restart Vigil finds its issue again by searching
 * that label instead of creating a second one. Member changes become
 * comments (each marked with its transition key, so a retry never comments
 * twice); resolve transitions the issue to done.
 */
import { createHash } from 'node:crypto';
import type { FieldReader } from '../../config-fields.js';
import { defaultBodyTemplate, messageView } from '../../message-view.js';
import type { DeliveryRequest, Notification } from '../../model.js';
import { compileTemplate, type Template } from '../../template.js';
import type { Receiver, ReceiverContext, ReceiverType } from '../receiver.js';
import { adf, JiraClient, type JiraIssue } from './client.js';

export { adf } from './client.js';

export interface JiraOptions {
  /** Site URL, e.g. `https://acme.atlassian.net`. */
  readonly url: string;
  /** Account e-mail of the API token. */
  readonly user: string;
  /** A secret: use `${JIRA_API_TOKEN}`. */
  readonly apiToken: string;
  /** Project key, e.g. `OPS`. */
  readonly project: string;
  /** @default 'Task' */
  readonly issueType: string;
  /** Transition (or target status) applied on resolve. @default 'Done' */
  readonly resolveTransition: string;
  /** Transition applied when a resolved incident fires again; unset = only comment. */
  readonly reopenTransition?: string;
  /** Extra labels on created issues. @default [] */
  readonly labels: readonly string[];
  /** @default '[Vigil] {{summary}}' */
  readonly summary: Template;
  /** @default the shared body template */
  readonly description: Template;
}

/** The label that finds an incident's issue again; Jira labels may not contain spaces. */
export function idempotencyLabel(subject: string): string {
  return `vigil-${createHash('sha256').update(subject).digest('hex').slice(0, 20)}`;
}

export function commentMarker(key: string): string {
  return `[vigil:${key}]`;
}

function commentText(n: Notification, body: string): string {
  const what = n.status === 'resolved' ? 'Resolved' : n.status === 'acknowledged' ? 'Acknowledged' : n.change === 'members-changed' ? 'Members changed' : 'Firing again';
  return `${what}.\n${body}\n${commentMarker(n.key)}`;
}

export const jiraReceiverType: ReceiverType<JiraOptions> = {
  type: 'jira',
  parse(f: FieldReader): JiraOptions {
    const reopenTransition = f.optString('reopenTransition');
    return {
      url: f.string('url').replace(/\/+$/, ''),
      user: f.string('user'),
      apiToken: f.string('apiToken'),
      project: f.string('project'),
      issueType: f.optString('issueType') ?? 'Task',
      resolveTransition: f.optString('resolveTransition') ?? 'Done',
      ...(reopenTransition ? { reopenTransition } : {}),
      labels: f.strings('labels'),
      summary: compileTemplate(f.optString('summary') ?? '[Vigil] {{summary}}', `${f.where}.summary`),
      description: compileTemplate(f.optString('description') ?? defaultBodyTemplate, `${f.where}.description`),
    };
  },
  create(name: string, o: JiraOptions, ctx: ReceiverContext): Receiver {
    const client = new JiraClient({ receiver: name, url: o.url, user: o.user, apiToken: o.apiToken, timeoutMs: ctx.timeoutMs, clock: ctx.clock });
    // Saves a search per notification; the label search is the truth after a restart.
    const known = new Map<string, JiraIssue>();

    async function find(subject: string, signal: AbortSignal): Promise<JiraIssue | undefined> {
      const cached = known.get(subject);
      if (cached) return cached;
      const found = await client.findByLabel(o.project, idempotencyLabel(subject), signal);
      if (found) known.set(subject, found);
      return found;
    }

    async function comment(issue: JiraIssue, n: Notification, body: string, signal: AbortSignal): Promise<void> {
      if (await client.hasComment(issue.key, commentMarker(n.key), signal)) return;
      await client.addComment(issue.key, commentText(n, body), signal);
    }

    async function deliver(request: DeliveryRequest, n: Notification, signal: AbortSignal): Promise<void> {
      const view = messageView(request);
      const body = o.description.render(view).trim();
      const issue = await find(n.subject, signal);
      if (n.status === 'resolved') {
        // Nothing was ever opened (e.g. it resolved before the first flush reached Jira): nothing to close.
        if (!issue) return;
        await comment(issue, n, body, signal);
        if (issue.statusCategory !== 'done') await client.transition(issue.key, o.resolveTransition, signal);
        known.set(n.subject, { key: issue.key, statusCategory: 'done' });
        return;
      }
      if (!issue) {
        const created = await client.createIssue(
          {
            project: { key: o.project },
            issuetype: { name: o.issueType },
            summary: o.summary.render(view).trim().slice(0, 255),
            description: adf(`${body}\n${commentMarker(n.key)}`),
            labels: [idempotencyLabel(n.subject), 'vigil', ...o.labels],
          },
          signal,
        );
        known.set(n.subject, created);
        return;
      }
      await comment(issue, n, body, signal);
      if (issue.statusCategory === 'done' && n.status === 'firing' && o.reopenTransition) {
        await client.transition(issue.key, o.reopenTransition, signal);
        known.set(n.subject, { key: issue.key, statusCategory: 'indeterminate' });
      }
    }

    return {
      name,
      type: 'jira',
      batches: false,
      async send(request, signal) {
        // A ticket needs no reminders: it stays open until resolved.
        if (request.repeat) return;
        for (const n of request.notifications) await deliver(request, n, signal);
      },
    };
  },
};
