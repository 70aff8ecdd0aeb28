/** `vigil actors ls|inspect`: see every actor's state, and why an alert is in it. */
import type { Command } from 'commander';
import { call } from '../api/index.js';
import { withClients, type ClientOptions } from './context.js';
import { formatLabels, table } from './output.js';

interface Summary {
  id: string;
  kind: string;
  state: string;
  labels: Record<string, string>;
  sinceMs: number;
}

interface Detail extends Summary {
  contextJson: string;
  deadlines: Array<{ atMs: number; purpose: string }>;
  transitions: Array<{ fromState: string; toState: string; tsMs: number; value: number; cause: string }>;
  resident: boolean;
  rule: string;
  snapshotVersion: number;
}

const iso = (ms: number): string => (ms ? new Date(ms).toISOString() : '-');

/** What correlate says of an alert (its `correlation` context entry, see docs/correlation.md). */
interface Correlation {
  summary: string;
  subject: string;
  cluster: string | null;
  clusterState: string | null;
  incident: { id: string; state: string } | null;
}

function alertCorrelation(contextJson: string): Correlation | undefined {
  try {
    return (JSON.parse(contextJson) as { correlation?: Correlation }).correlation;
  } catch {
    return undefined;
  }
}

export function formatDetail(d: Detail): string {
  const lines = [
    `id:        ${d.id}`,
    `kind:      ${d.kind}`,
    `state:     ${d.state}`,
    `rule:      ${d.rule}`,
    `labels:    ${formatLabels(d.labels) || '-'}`,
    `resident:  ${d.resident ? 'yes' : 'no (passivated; loads on its next message)'}`,
    `context:   ${d.contextJson}`,
  ];
  const correlation = alertCorrelation(d.contextJson);
  if (correlation) {
    lines.push(`notifies:  ${correlation.summary}`, `subject:   ${correlation.subject}${correlation.cluster !== null ? ` (cluster ${correlation.cluster}: ${correlation.clusterState ?? 'active'})` : ''}`);
    if (correlation.incident) lines.push(`incident:  ${correlation.incident.id} (${correlation.incident.state})`);
  }
  if (d.deadlines.length > 0) lines.push('deadlines:', ...d.deadlines.map((x) => `  ${iso(x.atMs)}  ${x.purpose}`));
  if (d.transitions.length > 0) {
    lines.push('transitions (oldest first):');
    lines.push(...d.transitions.map((t) => `  ${iso(t.tsMs)}  ${t.fromState} → ${t.toState}  because ${t.cause}`));
  }
  return lines.join('\n');
}

export function registerActors(program: Command): void {
  const actors = program.command('actors').description('inspect rule and alert actors');
  actors
    .command('ls')
    .description('list actors, in id order')
    .option('--kind <kind>', 'rule, alert, cluster, incident or silence; consolidated and inhibitor (correlation bookkeeping) are listed only when asked for')
    .option('--state <state>', 'e.g. firing, pending')
    .option('--prefix <id>', 'ids starting with this, e.g. alert/high_cpu/')
    .option('--limit <n>', 'page size (max 1000)', '100')
    .option('--page-token <id>', 'continue after this id (printed at the end of a full page)')
    .action(async (o: { kind?: string; state?: string; prefix?: string; limit: string; pageToken?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ actors: Summary[]; nextPageToken: string }>(c.admin, 'listActors', {
          kind: o.kind ?? '',
          state: o.state ?? '',
          prefix: o.prefix ?? '',
          limit: Number(o.limit),
          pageToken: o.pageToken ?? '',
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(res)}\n`);
          return;
        }
        const rows = res.actors.map((a) => [a.id, a.kind, a.state, iso(a.sinceMs)]);
        process.stdout.write(`${table(['ID', 'KIND', 'STATE', 'SINCE'], rows)}\n`);
        if (res.nextPageToken) process.stdout.write(`more: --page-token '${res.nextPageToken}'\n`);
      });
    });
  actors
    .command('inspect')
    .argument('<id>', 'e.g. alert/high_cpu/cluster=c1,node=n2 or rule/high_cpu')
    .description("show an actor's machine state, context, deadlines and recent transitions with their causes; for an alert, who hears about it and what suppresses it")
    .action(async (id: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const d = await call<Detail>(c.admin, 'inspectActor', { id });
        process.stdout.write(opts.json ? `${JSON.stringify({ ...d, context: JSON.parse(d.contextJson) as unknown })}\n` : `${formatDetail(d)}\n`);
      });
    });
}
