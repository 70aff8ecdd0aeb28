/** `vigil alerts watch`: follow the alert event stream, resuming from a sequence number. */
import type * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import type { AlertEventMsg } from '../api/index.js';
import { serverAddress, type ClientOptions } from './context.js';
import { connect } from '../api/index.js';
import { describeError, formatLabels } from './output.js';

const colour: Record<string, string> = { firing: '\x1b[31m', resolved: '\x1b[32m', pending: '\x1b[33m', inactive: '\x1b[2m' };

export function formatAlertEvent(e: AlertEventMsg, tty: boolean): string {
  const state = e.toState.toUpperCase().padEnd(8);
  const painted = tty ? `${colour[e.toState] ?? ''}${state}\x1b[0m` : state;
  return `#${e.sequence} ${new Date(e.tsMs).toISOString()} ${painted} ${e.rule} {${formatLabels(e.labels)}} value=${e.value}`;
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('follow alerts');
  alerts
    .command('watch')
    .description('print alert events as they commit; resume with --after')
    .option('--after <seq>', 'start after this sequence number (0: whole retained log)', '0')
    .option('--tail', 'only events from now on')
    .option('--rule <name...>', 'only these rules')
    .action(async (o: { after: string; tail?: boolean; rule?: string[] }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      const server = serverAddress(opts);
      const clients = connect(server);
      const tty = process.stdout.isTTY === true;
      const stream = (clients.alerts as unknown as { streamAlerts(req: object): grpc.ClientReadableStream<AlertEventMsg> }).streamAlerts({
        afterSequence: Number(o.after),
        tail: o.tail === true,
        rules: o.rule ?? [],
      });
      stream.on('data', (e: AlertEventMsg) => process.stdout.write(`${opts.json ? JSON.stringify(e) : formatAlertEvent(e, tty)}\n`));
      await new Promise<void>((resolve) => {
        stream.on('error', (e) => {
          if ((e as grpc.ServiceError).code !== 1) {
            process.stderr.write(`vigil: ${describeError(e, server)}\n`);
            process.exitCode = 1;
          }
          resolve();
        });
        stream.on('end', resolve);
        process.once('SIGINT', () => stream.cancel());
      });
      clients.close();
    });
}
