/** `vigil alerts watch`: follow the alert event stream, filtered, resuming from a sequence number. */
import type * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { call, decodeStatusDetails, type AlertEventMsg, type StreamAlertsRequestMsg, type VigilClients } from '../api/index.js';
import { openClients, type ClientOptions } from './context.js';
import { describeError, fail, formatLabels } from './output.js';

const colour: Record<string, string> = { firing: '\x1b[31m', resolved: '\x1b[32m', pending: '\x1b[33m', inactive: '\x1b[2m' };

export function formatAlertEvent(e: AlertEventMsg, tty: boolean): string {
  const state = e.toState.toUpperCase().padEnd(8);
  const painted = tty ? `${colour[e.toState] ?? ''}${state}\x1b[0m` : state;
  return `#${e.sequence} ${new Date(e.tsMs).toISOString()} ${painted} ${e.rule} {${formatLabels(e.labels)}} value=${e.value}`;
}

interface WatchFlags {
  after: string;
  tail?: boolean;
  rule?: string[];
  label?: string[];
  severity?: string[];
  cluster?: string[];
}

/** `--label k=v` flags as the equality matchers of StreamAlertsRequest.labels. */
export function parseLabelFlags(flags: readonly string[] = []): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new Error(`--label ${f}: write NAME=VALUE`);
    labels[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return labels;
}

function streamAlerts(clients: VigilClients, request: object): grpc.ClientReadableStream<AlertEventMsg> {
  return (clients.alerts as unknown as { streamAlerts(req: object): grpc.ClientReadableStream<AlertEventMsg> }).streamAlerts(request);
}

/**
 * Prints the stream until Ctrl-C or an error. A stream the server ends as too
 * slow is resumed after the last event printed, so nothing is lost or repeated.
 */
async function follow(clients: VigilClients, request: Omit<StreamAlertsRequestMsg, 'tail'>, print: (e: AlertEventMsg) => void): Promise<void> {
  let after = request.afterSequence;
  for (;;) {
    const stream = streamAlerts(clients, { ...request, afterSequence: after });
    stream.on('data', (e: AlertEventMsg) => {
      after = e.sequence;
      print(e);
    });
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      stream.cancel();
    };
    process.once('SIGINT', stop);
    const err = await new Promise<grpc.ServiceError | undefined>((resolve) => {
      stream.on('error', (e: grpc.ServiceError) => resolve(e));
      stream.on('end', () => resolve(undefined));
    });
    process.removeListener('SIGINT', stop);
    if (!err || stopped) return;
    if (decodeStatusDetails(err).code !== 'SUBSCRIBER_TOO_SLOW') throw err;
    process.stderr.write(`vigil: the server dropped this stream as too slow; resuming after #${after}\n`);
  }
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('follow alerts');
  alerts
    .command('watch')
    .description('print alert events as they commit; resume with --after')
    .option('--after <seq>', 'start after this sequence number (0: whole retained log)', '0')
    .option('--tail', 'only events from now on')
    .option('--rule <name...>', 'only these rules')
    .option('--label <name=value...>', 'only events with these labels (all must match)')
    .option('--severity <severity...>', 'only these severities, e.g. critical')
    .option('--cluster <cluster...>', 'only events whose cluster label is one of these')
    .addHelpText('after', '\nExamples:\n  vigil alerts watch --tail --severity critical\n  vigil alerts watch --after 42 --cluster c1 c2 --label team=network')
    .action(async (o: WatchFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      let opened;
      let labels;
      try {
        labels = parseLabelFlags(o.label);
        opened = openClients(opts);
      } catch (e) {
        fail((e as Error).message);
        return;
      }
      const { clients, connection } = opened;
      const tty = process.stdout.isTTY === true;
      const print = (e: AlertEventMsg): void => void process.stdout.write(`${opts.json ? JSON.stringify(e) : formatAlertEvent(e, tty)}\n`);
      try {
        // --tail starts after the newest sequence now, so a resume knows where it started.
        const after = o.tail ? (await call<{ lastSequence: number }>(clients.admin, 'getServerInfo', {})).lastSequence : Number(o.after);
        await follow(clients, { afterSequence: after, rules: o.rule ?? [], labels, severities: o.severity ?? [], clusters: o.cluster ?? [] }, print);
      } catch (e) {
        fail(describeError(e, connection));
      } finally {
        clients.close();
      }
    });
}
