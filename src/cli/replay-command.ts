/**
 * `vigil replay`: back-tests rules offline over a recorded ndjson file and
 * prints each alert transition as it would have happened (see src/replay/).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { RuleError, type AlertEvent } from '../core/index.js';
import { parseDuration } from '../language/index.js';
import { parseTime, readDataFile, ReplayInputError, runReplay, type ReplaySummary } from '../replay/index.js';
import type { ClientOptions } from './context.js';
import { fail, formatLabels } from './output.js';

interface ReplayFlags {
  rules: string;
  data: string;
  lateness: string;
  until?: string;
  skipInvalid?: boolean;
}

/** `30s`, `1m30s`, or a bare number of ms. */
export function parseLateness(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : parseDuration(text);
  if (ms === undefined) throw new Error(`--lateness ${text}: write a duration such as 30s or 1m, or ms`);
  return ms;
}

/** `--until`: an absolute time (ms or ISO-8601) or `+DURATION` after the newest input. */
export function parseUntil(text: string): { untilMs: number } | { untilAfterLastMs: number } {
  if (text.startsWith('+')) {
    const ms = parseDuration(text.slice(1));
    if (ms === undefined) throw new Error(`--until ${text}: write +DURATION, e.g. +10m`);
    return { untilAfterLastMs: ms };
  }
  const t = parseTime(/^\d+$/.test(text) ? Number(text) : text);
  if (typeof t === 'string') throw new Error(`--until ${text}: write ms since the epoch, an ISO-8601 time with a zone, or +DURATION`);
  return { untilMs: t };
}

const arrow = (e: AlertEvent): string => `${e.from} → ${e.to}`;

/** One transition for people: time, from → to, rule {labels}, value. */
export function formatTransition(e: AlertEvent): string {
  const value = Number.isNaN(e.value) ? '-' : String(e.value);
  return `${new Date(e.ts).toISOString()}  ${arrow(e).padEnd(19)}  ${e.rule} {${formatLabels(e.labels)}}  value=${value}${e.noData ? '  (no data)' : ''}`;
}

/** One transition for scripts; `value` is null when a deadline (not a value) caused it. */
export function transitionJson(e: AlertEvent): Record<string, unknown> {
  return {
    time: new Date(e.ts).toISOString(),
    ts: e.ts,
    rule: e.rule,
    alert: e.alert,
    labels: e.labels,
    from: e.from,
    to: e.to,
    value: Number.isNaN(e.value) ? null : e.value,
    severity: e.severity,
    ...(e.noData ? { noData: true } : {}),
  };
}

function summaryLine(s: ReplaySummary, skipped: number): string {
  const span = s.firstTs !== undefined ? ` from ${new Date(s.firstTs).toISOString()} to ${new Date(s.lastTs!).toISOString()}` : '';
  const wm = Number.isFinite(s.watermark) ? `; watermark ${new Date(s.watermark).toISOString()}` : '';
  const skip = skipped > 0 ? `, ${skipped} bad line(s) skipped` : '';
  return `replayed ${s.points} point(s) and ${s.events} event(s)${span}: ${s.transitions} transition(s), ${s.late} late${skip}${wm}`;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('run rules offline over recorded points and events (ndjson) and print when they would have fired')
    .requiredOption('--rules <file>', 'a .vigil file')
    .requiredOption('--data <file>', 'one JSON object per line: {name, tags, value, ts} or {type, tags, fields, ts}; ts in ms or ISO-8601')
    .option('--lateness <duration>', 'allowed lateness of out-of-order input (e.g. 30s)', '0')
    .option('--until <time>', 'after the data, advance event time to TIME (ms, ISO-8601, or +DURATION after the last item) so open steps close and deadlines fire')
    .option('--skip-invalid', 'report bad lines on stderr and go on (default: stop at the first)')
    .addHelpText(
      'after',
      `
Lines are taken in file order, as they would have arrived; an item more than
--lateness behind the newest one before it is late (counted, not evaluated).
A bad line stops the replay with FILE:LINE:COLUMN (exit 1) unless --skip-invalid.
--until feeds a point of the metric vigil_replay_until, which no rule should select.

Examples:
  vigil replay --rules config/rules/examples.vigil --data pings.ndjson
  vigil replay --rules s2.vigil --data week.ndjson --lateness 30s --until +5m
  vigil replay --rules s2.vigil --data week.ndjson --json | jq -r 'select(.to == "firing") | .time'`,
    )
    .action(async (o: ReplayFlags, cmd: Command) => {
      const json = cmd.optsWithGlobals<ClientOptions>().json === true;
      let rules: string;
      let lateness: number;
      let until: ReturnType<typeof parseUntil> | undefined;
      try {
        rules = readFileSync(o.rules, 'utf8');
        lateness = parseLateness(o.lateness);
        until = o.until !== undefined ? parseUntil(o.until) : undefined;
      } catch (e) {
        fail((e as NodeJS.ErrnoException).code ? `cannot read ${o.rules}: ${(e as Error).message}` : (e as Error).message);
        return;
      }
      let skipped = 0;
      const items = readDataFile(o.data, {
        skipInvalid: o.skipInvalid === true,
        onError: (e) => {
          skipped++;
          process.stderr.write(`vigil: ${e.message} (skipped)\n`);
        },
      });
      const print = (e: AlertEvent): void => void process.stdout.write(`${json ? JSON.stringify(transitionJson(e)) : formatTransition(e)}\n`);
      try {
        const summary = await runReplay(items, { rules, allowedLatenessMs: lateness, ...until }, print);
        if (json) process.stderr.write(`${summaryLine(summary, skipped)}\n`);
        else process.stdout.write(`${summaryLine(summary, skipped)}\n`);
      } catch (e) {
        if (e instanceof RuleError) fail(e.diagnostics.map((d) => `${o.rules}:${d.line}:${d.column}: ${d.message} (${d.code})`).join('\n'));
        else if (e instanceof ReplayInputError) fail(e.message);
        else if ((e as NodeJS.ErrnoException).code === 'ENOENT') fail(`cannot read ${o.data}: ${(e as Error).message}`);
        else fail((e as Error).message);
      }
    });
}
