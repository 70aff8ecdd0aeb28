/** A small Jira Cloud REST v3 stand-in on a real HTTP server: issues, labels, JQL label search, comments, transitions. */
import { startServer, type RecordingServer } from '../support.js';

export interface FakeIssue {
  key: string;
  fields: { project: { key: string }; issuetype: { name: string }; summary: string; description: unknown; labels: string[] };
  status: 'To Do' | 'Done';
  comments: unknown[];
}

export interface FakeJira {
  readonly server: RecordingServer;
  readonly issues: FakeIssue[];
  /** The next comment POST is stored but answered 500, as if the reply was lost. */
  loseNextCommentReply(): void;
  close(): Promise<void>;
}

const transitions = [
  { id: '11', name: 'Reopen', to: { name: 'To Do', statusCategory: { key: 'new' } } },
  { id: '31', name: 'Done', to: { name: 'Done', statusCategory: { key: 'done' } } },
];

export async function startFakeJira(expectedAuth: string): Promise<FakeJira> {
  const issues: FakeIssue[] = [];
  let loseReply = false;
  const server = await startServer((req, res) => {
    const send = (code: number, body?: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.headers.authorization !== expectedAuth) return send(401, { errorMessages: ['unauthorized'] });
    const url = new URL(req.url, 'http://jira');
    const issueMatch = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/(comment|transitions)$/.exec(url.pathname);
    const issue = issueMatch ? issues.find((i) => i.key === issueMatch[1]) : undefined;
    if (req.method === 'GET' && url.pathname === '/rest/api/3/search/jql') {
      const label = /labels = "([^"]+)"/.exec(url.searchParams.get('jql') ?? '')?.[1];
      const found = issues.filter((i) => label && i.fields.labels.includes(label)).reverse();
      return send(200, { issues: found.slice(0, 1).map((i) => ({ key: i.key, fields: { status: { name: i.status, statusCategory: { key: i.status === 'Done' ? 'done' : 'new' } } } })) });
    }
    if (req.method === 'POST' && url.pathname === '/rest/api/3/issue') {
      const key = `OPS-${issues.length + 1}`;
      issues.push({ key, fields: req.json<{ fields: FakeIssue['fields'] }>().fields, status: 'To Do', comments: [] });
      return send(201, { id: String(10000 + issues.length), key, self: `http://jira/rest/api/3/issue/${key}` });
    }
    if (!issue) return send(404, { errorMessages: ['Issue does not exist'] });
    if (issueMatch![2] === 'comment') {
      if (req.method === 'GET') return send(200, { comments: issue.comments.map((body) => ({ body })) });
      issue.comments.push(req.json<{ body: unknown }>().body);
      if (loseReply) {
        loseReply = false;
        return send(500, { errorMessages: ['gateway timeout'] });
      }
      return send(201, { id: String(issue.comments.length) });
    }
    if (req.method === 'GET') return send(200, { transitions });
    const t = transitions.find((x) => x.id === req.json<{ transition: { id: string } }>().transition.id);
    if (!t) return send(400, { errorMessages: ['bad transition'] });
    issue.status = t.to.name as FakeIssue['status'];
    return send(204);
  });
  return {
    server,
    issues,
    loseNextCommentReply: () => {
      loseReply = true;
    },
    close: () => server.close(),
  };
}
