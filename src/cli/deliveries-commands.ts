/** `vigil deliveries ls|retry|stats` and `vigil deadletter ls`: what reached receivers, and what did not. */
import type { Command } from 'commander';
import { call } from '../api/index.js';
import { withClients, type ClientOptions } from './context.js';
import { table } from './output.js';

interface DeliveryMsg {
  id: string;
  receiver: string;
  state: string;
  key: string;
  attempts: number;
  createdAtMs: number;
  lastError: string;
  reason: string;
}

const iso = (ms: number): string => (ms ? new Date(ms).toISOString() : '-');

function print(opts: ClientOptions, data: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
}

export function registerDeliveries(program: Command): void {
  const deliveries = program.command('deliveries').description('notifications in the outbox, archived ones, and outcomes per receiver');
  deliveries
    .command('ls')
    .option('--archived', 'deliveries given up (too old or rejected), with the reason')
    .option('--limit <n>', 'at most this many (max 1000)', '100')
    .action(async (o: { archived?: boolean; limit: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ deliveries: DeliveryMsg[] }>(c.admin, 'listDeliveries', { archived: o.archived === true, limit: Number(o.limit) });
        print(opts, res.deliveries, () =>
          table(
            ['ID', 'RECEIVER', 'STATE', 'ATTEMPTS', 'CREATED', o.archived ? 'REASON' : 'LAST ERROR'],
            res.deliveries.map((d) => [d.id, d.receiver, d.state, String(d.attempts), iso(d.createdAtMs), (o.archived ? d.reason : d.lastError) || '-']),
          ),
        );
      });
    });
  deliveries
    .command('retry')
    .argument('<id>', 'an archived delivery id (vigil deliveries ls --archived)')
    .description('queue an archived delivery again, with the same idempotency key')
    .action(async (id: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const d = await call<DeliveryMsg>(c.admin, 'retryDelivery', { id });
        print(opts, d, () => `delivery ${d.id} to ${d.receiver} is ${d.state} again`);
      });
    });
  deliveries
    .command('stats')
    .description('delivery outcomes per receiver')
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ receivers: Array<Record<string, string | number>> }>(c.admin, 'getDeliveryStats', {});
        const cols = ['receiver', 'type', 'sent', 'retried', 'failedTemporary', 'failedPermanent', 'archived', 'queued', 'oldestQueuedAgeMs'];
        print(opts, res.receivers, () => table(cols.map((x) => x.toUpperCase()), res.receivers.map((r) => cols.map((k) => String(r[k] ?? '')))));
      });
    });

  const dead = program.command('deadletter').description('inputs a source could not use');
  dead
    .command('ls')
    .option('--source <prefix>', 'only sources starting with this, e.g. kafka:', '')
    .option('--limit <n>', 'at most this many, newest first (max 1000)', '100')
    .action(async (o: { source: string; limit: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ deadLetters: Array<{ source: string; offset: number; code: string; reason: string; payload: string; atMs: number }> }>(c.admin, 'listDeadLetters', {
          sourcePrefix: o.source,
          limit: Number(o.limit),
        });
        print(opts, res.deadLetters, () =>
          table(
            ['AT', 'SOURCE', 'OFFSET', 'CODE', 'REASON', 'PAYLOAD'],
            res.deadLetters.map((d) => [iso(d.atMs), d.source, d.offset < 0 ? '-' : String(d.offset), d.code, d.reason, d.payload.slice(0, 60)]),
          ),
        );
      });
    });
}
