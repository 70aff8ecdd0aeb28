/** `vigil incidents ls|ack`: cross-cluster incidents (one per signature) and their acknowledgement. */
import type { Command } from 'commander';
import { call } from '../api/index.js';
import type { IncidentMsg } from '../api/correlation-messages.js';
import { withClients, type ClientOptions } from './context.js';
import { iso, print } from './correlation-output.js';
import { table } from './output.js';

const members = (i: IncidentMsg): string => i.members.map((m) => `${m.id}:${m.state}`).join(',');

export function registerIncidents(program: Command): void {
  const incidents = program.command('incidents').description('incidents: the same signature across clusters, one ticket each');
  incidents
    .command('ls')
    .option('--open', 'only open and acknowledged incidents')
    .description('incidents with their members')
    .action(async (o: { open?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ incidents: IncidentMsg[] }>(c.incidents, 'listIncidents', { openOnly: o.open === true });
        print(opts, res.incidents, () =>
          table(
            ['ID', 'STATE', 'SEVERITY', 'OPENED', 'RESOLVED', 'ACK BY', 'MEMBERS'],
            res.incidents.map((i) => [i.id, i.state, i.severity, iso(i.openedAtMs), iso(i.resolvedAtMs), i.acknowledgedBy || '-', members(i)]),
          ),
        );
      });
    });
  incidents
    .command('ack')
    .argument('<incident>', 'incident/<signature>, or the bare signature')
    .option('--by <name>', 'who acknowledges (default: your token name)')
    .description('acknowledge an open incident: no more reminders; member changes still notify and it still resolves')
    .action(async (incident: string, o: { by?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const i = await call<IncidentMsg>(c.incidents, 'acknowledgeIncident', { incident, by: o.by ?? '' });
        print(opts, i, () => `${i.id} ${i.state} by ${i.acknowledgedBy} at ${iso(i.acknowledgedAtMs)} (${members(i)})`);
      });
    });
}
