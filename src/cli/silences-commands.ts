/** `vigil silences add|ls|expire`: hold matching alerts back for a while. */
import type { Command } from 'commander';
import { call } from '../api/index.js';
import type { SilenceMsg } from '../api/correlation-messages.js';
import { formatMatcher, parseMatcher } from '../correlate/index.js';
import { withClients, type ClientOptions } from './context.js';
import { durationFlag, iso, print, timeFlag } from './correlation-output.js';
import { table } from './output.js';

interface AddOptions {
  for?: string;
  start?: string;
  end?: string;
  comment: string;
  by?: string;
}

const matchers = (s: SilenceMsg): string => s.matchers.map(formatMatcher).join(',');

export function registerSilences(program: Command): void {
  const silences = program.command('silences').description('silences: matching alerts notify nobody while one is in force');
  silences
    .command('add')
    .argument('<matcher...>', 'label=value, label!=value, label=~regex or label!~regex; all must match')
    .option('--for <duration>', 'how long, from its start, e.g. 1h')
    .option('--start <time>', 'when it starts (ISO 8601 or epoch ms, event time); default now')
    .option('--end <time>', 'when it ends, instead of --for')
    .option('--comment <text>', 'why', '')
    .option('--by <name>', 'author (default: your token name)')
    .description('silence matching alerts, e.g. vigil silences add cluster=c1 alertname=disk_full --for 1h --comment "disk swap"')
    .action(async (texts: string[], o: AddOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        if (Boolean(o.for) === Boolean(o.end)) cmd.error('vigil: give how long the silence lasts: --for 1h, or --end TIME');
        const request = {
          matchers: texts.map((t, i) => parseMatcher(t, `matcher ${i + 1}`)),
          startsAtMs: o.start ? timeFlag('--start', o.start) : 0,
          endsAtMs: o.end ? timeFlag('--end', o.end) : 0,
          durationMs: o.for ? durationFlag('--for', o.for) : 0,
          createdBy: o.by ?? '',
          comment: o.comment,
        };
        const s = await call<SilenceMsg>(c.silences, 'createSilence', request);
        print(opts, s, () => `silence ${s.id} (${s.state}) ${matchers(s)} from ${iso(s.startsAtMs)} until ${iso(s.endsAtMs)}`);
      });
    });
  silences
    .command('ls')
    .description('every silence: pending, active and expired')
    .option('--state <state>', 'only pending, active or expired')
    .action(async (o: { state?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ silences: SilenceMsg[] }>(c.silences, 'listSilences', {});
        const shown = res.silences.filter((s) => !o.state || s.state === o.state);
        print(opts, shown, () =>
          table(
            ['ID', 'STATE', 'MATCHERS', 'STARTS', 'ENDS', 'BY', 'COMMENT'],
            shown.map((s) => [s.id, s.state, matchers(s), iso(s.startsAtMs), iso(s.expiredAtMs || s.endsAtMs), s.createdBy, s.comment || '-']),
          ),
        );
      });
    });
  silences
    .command('expire')
    .argument('<id>', 'as vigil silences ls shows it')
    .option('--by <name>', 'who ends it (default: your token name)')
    .description('end a silence now: what it held back and still fires notifies')
    .action(async (id: string, o: { by?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const s = await call<SilenceMsg>(c.silences, 'expireSilence', { id, by: o.by ?? '' });
        print(opts, s, () => `silence ${s.id} is ${s.state}${s.expiredAtMs ? ` since ${iso(s.expiredAtMs)}` : ''}`);
      });
    });
}
