/** The few Jira Cloud REST v3 calls the ticket receiver needs, over global fetch with basic auth (user + API token). */
import type { Clock } from '../../../core/index.js';
import { DeliveryRejectedError } from '../../errors.js';
import { httpRequest } from '../http.js';

export interface JiraIssue {
  readonly key: string;
  /** `new`, `indeterminate` or `done`. */
  readonly statusCategory: string;
}

export interface JiraTransition {
  readonly id: string;
  readonly name: string;
  readonly to?: { readonly name?: string; readonly statusCategory?: { readonly key?: string } };
}

/** Atlassian Document Format: one paragraph per line of text. */
export function adf(text: string): Record<string, unknown> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return { type: 'doc', version: 1, content: lines.map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })) };
}

export interface JiraClientOptions {
  readonly receiver: string;
  readonly url: string;
  readonly user: string;
  readonly apiToken: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

export class JiraClient {
  private readonly auth: string;

  constructor(private readonly o: JiraClientOptions) {
    this.auth = `Basic ${Buffer.from(`${o.user}:${o.apiToken}`).toString('base64')}`;
  }

  private call<T>(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown): Promise<T> {
    return httpRequest({
      receiver: this.o.receiver,
      method,
      url: `${this.o.url}${path}`,
      headers: { authorization: this.auth, accept: 'application/json' },
      ...(body !== undefined ? { body } : {}),
      signal,
      timeoutMs: this.o.timeoutMs,
      clock: this.o.clock,
    }).then((r) => (r.text ? r.json<T>() : (undefined as T)));
  }

  /** The newest issue of `project` carrying `label`, if any (JQL search, `/rest/api/3/search/jql`). */
  async findByLabel(project: string, label: string, signal: AbortSignal): Promise<JiraIssue | undefined> {
    const jql = `project = "${project}" AND labels = "${label}" ORDER BY created DESC`;
    const res = await this.call<{ issues?: Array<{ key: string; fields?: { status?: { statusCategory?: { key?: string } } } }> }>(
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=status&maxResults=1`,
      signal,
    );
    const issue = res?.issues?.[0];
    return issue ? { key: issue.key, statusCategory: issue.fields?.status?.statusCategory?.key ?? 'new' } : undefined;
  }

  async createIssue(fields: Record<string, unknown>, signal: AbortSignal): Promise<JiraIssue> {
    const res = await this.call<{ key: string }>('POST', '/rest/api/3/issue', signal, { fields });
    return { key: res.key, statusCategory: 'new' };
  }

  /** Whether a comment on the issue already contains `marker` (a retried comment must not appear twice). */
  async hasComment(issueKey: string, marker: string, signal: AbortSignal): Promise<boolean> {
    const res = await this.call<{ comments?: Array<{ body?: unknown }> }>('GET', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment?orderBy=-created&maxResults=100`, signal);
    return (res?.comments ?? []).some((c) => JSON.stringify(c.body ?? '').includes(marker));
  }

  async addComment(issueKey: string, text: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, signal, { body: adf(text) });
  }

  /** Moves the issue through the transition named `name` (or leading to a status of that name). */
  async transition(issueKey: string, name: string, signal: AbortSignal): Promise<void> {
    const path = `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`;
    const res = await this.call<{ transitions?: JiraTransition[] }>('GET', path, signal);
    const wanted = name.toLowerCase();
    const t = (res?.transitions ?? []).find((x) => x.name.toLowerCase() === wanted || x.to?.name?.toLowerCase() === wanted);
    if (!t) throw new DeliveryRejectedError(this.o.receiver, `issue ${issueKey} has no transition "${name}"`);
    await this.call('POST', path, signal, { transition: { id: t.id } });
  }
}
