/** `vigil clusters ls|upgrade|maintenance`: see cluster actors and start or end their upgrade and maintenance windows. */
import type { Command } from 'commander';
import { call } from '../api/index.js';
import type { ClusterMsg } from '../api/correlation-messages.js';
import { withClients, type ClientOptions } from './context.js';
import { durationFlag, iso, print } from './correlation-output.js';
import { table } from './output.js';

function describeCluster(c: ClusterMsg): string {
  const window = c.state === 'upgrading' || c.state === 'maintenance' ? ` since ${iso(c.sinceMs)}${c.untilMs ? ` until ${iso(c.untilMs)}` : ''}${c.by ? ` by ${c.by}` : ''}` : '';
  return `cluster ${c.cluster} is ${c.state}${window}`;
}

async function change(cmd: Command, method: string, request: object): Promise<void> {
  const opts = cmd.optsWithGlobals<ClientOptions>();
  await withClients(opts, async (c) => {
    const cluster = await call<ClusterMsg>(c.clusters, method, request);
    print(opts, cluster, () => describeCluster(cluster));
  });
}

export function registerClusters(program: Command): void {
  const clusters = program.command('clusters').description('cluster actors: upgrades, maintenance windows, heartbeats');
  clusters
    .command('ls')
    .description('clusters Vigil knows, with their state and window')
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ clusters: ClusterMsg[] }>(c.clusters, 'listClusters', {});
        print(opts, res.clusters, () =>
          table(
            ['CLUSTER', 'STATE', 'SINCE', 'UNTIL', 'BY', 'LAST HEARTBEAT'],
            res.clusters.map((x) => [x.cluster, x.state + (x.upgradeTimedOut ? ' (upgrade timed out)' : ''), iso(x.sinceMs), iso(x.untilMs), x.by || '-', iso(x.lastHeartbeatMs)]),
          ),
        );
      });
    });

  const upgrade = clusters.command('upgrade').description("start or end a cluster's upgrade: its alerts notify nobody meanwhile");
  upgrade
    .command('start')
    .argument('<cluster>')
    .option('--for <duration>', 'declared length, e.g. 45m; without it the upgrade lasts until ended or it times out')
    .option('--by <name>', 'who does it (default: your token name)')
    .action(async (cluster: string, o: { for?: string; by?: string }, cmd: Command) => {
      await change(cmd, 'startUpgrade', { cluster, durationMs: o.for ? durationFlag('--for', o.for) : 0, by: o.by ?? '' });
    });
  upgrade
    .command('end')
    .argument('<cluster>')
    .option('--by <name>', 'who does it (default: your token name)')
    .action(async (cluster: string, o: { by?: string }, cmd: Command) => {
      await change(cmd, 'endUpgrade', { cluster, by: o.by ?? '' });
    });

  clusters
    .command('maintenance')
    .argument('<cluster>', 'the cluster, or "end" followed by the cluster to end its window')
    .argument('[cluster-to-end]')
    .option('--for <duration>', 'length of the window, e.g. 2h (required to start one)')
    .option('--by <name>', 'who does it (default: your token name)')
    .description('vigil clusters maintenance ID --for 2h | vigil clusters maintenance end ID')
    .action(async (first: string, second: string | undefined, o: { for?: string; by?: string }, cmd: Command) => {
      if (first === 'end' && second !== undefined) {
        await change(cmd, 'endMaintenance', { cluster: second, by: o.by ?? '' });
        return;
      }
      if (second !== undefined) cmd.error(`vigil: unexpected argument "${second}"; to end a window: vigil clusters maintenance end ${second}`);
      if (!o.for) cmd.error('vigil: a maintenance window needs a length: --for 2h');
      await change(cmd, 'startMaintenance', { cluster: first, durationMs: durationFlag('--for', o.for!), by: o.by ?? '' });
    });
}
