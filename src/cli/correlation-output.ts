/** What the clusters, silences and incidents commands share: durations and times as operators write and read them. */
import { parseDuration } from '../language/index.js';
import { ClientSetupError, type ClientOptions } from './context.js';

export const iso = (ms: number): string => (ms ? new Date(ms).toISOString() : '-');

/** `2h`, `90m`, `1h30m` in milliseconds; a clear error for anything else. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new ClientSetupError(`${flag} ${text}: write a duration such as 30m, 2h or 1h30m`);
  return ms;
}

/** An event time written as ISO 8601 or as milliseconds since the epoch. */
export function timeFlag(flag: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new ClientSetupError(`${flag} ${text}: write a time as ISO 8601 (2026-11-23T07:20:00Z) or milliseconds since the epoch`);
  return ms;
}

export function print(opts: ClientOptions, data: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
}
