/**
 * Recorded input, one JSON object per line: a point `{name, tags, value, ts}`
 * or an event `{type, tags, fields, ts}`, `ts` in ms since the epoch or an
 * ISO-8601 time with a zone. A bad line is reported with its line and column.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ErrorCodes, VigilError, type DataPoint, type VigilEvent } from '../core/index.js';
import { validateEvent, validatePoint } from '../ingest/index.js';
import { scanJson } from './json-position.js';

/** One recorded input, in the order it arrived. */
export type ReplayItem = { readonly kind: 'point'; readonly point: DataPoint } | { readonly kind: 'event'; readonly event: VigilEvent };

/** Thrown (or reported, when skipping) for a line of a data file that cannot be used; `line` and `column` are 1-based. */
export class ReplayInputError extends VigilError {
  override readonly name = 'ReplayInputError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(ErrorCodes.POINT_INVALID, `${file}:${line}:${column}: ${reason}`);
  }
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** `ts` as ms since the epoch: a number as it is, or an ISO-8601 time that names its zone. */
export function parseTime(raw: unknown): number | string {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && isoTime.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return ms;
  }
  if (typeof raw === 'string') return `"${raw}" is not a time: write ms since the epoch or ISO-8601 with a zone, e.g. 2026-11-23T07:00:00Z`;
  return raw === undefined ? 'is required' : `must be ms since the epoch or an ISO-8601 string, got ${JSON.stringify(raw)}`;
}

/** Reads one line; `undefined` for a blank line. Throws ReplayInputError. */
export function parseLine(text: string, file: string, line: number): ReplayItem | undefined {
  if (text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const scan = scanJson(text);
    const at = scan.error ?? { offset: 0, message: 'not JSON' };
    throw new ReplayInputError(file, line, at.offset + 1, `not JSON: ${at.message}`);
  }
  const bad = (field: string, reason: string): ReplayInputError => {
    const { valueAt } = scanJson(text);
    const at = valueAt.get(field) ?? valueAt.get(field.split('.')[0]!) ?? text.search(/\S/);
    const col = at + 1;
    return new ReplayInputError(file, line, col, `${field}: ${reason}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ReplayInputError(file, line, text.search(/\S/) + 1, 'expected an object: a point {name, tags, value, ts} or an event {type, tags, fields, ts}');
  }
  const obj = raw as Record<string, unknown>;
  const isEvent = 'type' in obj;
  if (isEvent === 'name' in obj) {
    throw new ReplayInputError(
      file,
      line,
      text.search(/\S/) + 1,
      isEvent ? 'has both "name" (a point) and "type" (an event); write one item per line' : 'is neither a point (needs "name") nor an event (needs "type")',
    );
  }
  const ts = parseTime(obj.ts);
  if (typeof ts === 'string') throw bad('ts', ts);
  const item = { ...obj, ts };
  if (isEvent) {
    const c = validateEvent(item);
    if (!c.ok) throw bad(c.field === 'event' ? 'type' : c.field, c.reason);
    return { kind: 'event', event: c.event };
  }
  const c = validatePoint(item);
  if (!c.ok) throw bad(c.field === 'point' ? 'name' : c.field, c.reason);
  return { kind: 'point', point: c.point };
}

export interface ReadOptions {
  /** Report bad lines to `onError` and go on, instead of stopping at the first. @default false */
  readonly skipInvalid?: boolean;
  readonly onError?: (e: ReplayInputError) => void;
}

/** The items of an ndjson file, in file order. Stops with ReplayInputError at the first bad line unless `skipInvalid`. */
export async function* readDataFile(path: string, options: ReadOptions = {}): AsyncGenerator<ReplayItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    let item: ReplayItem | undefined;
    try {
      item = parseLine(n === 1 ? text.replace(/^\uFEFF/, '') : text, path, n);
    } catch (e) {
      if (!(e instanceof ReplayInputError) || !options.skipInvalid) throw e;
      options.onError?.(e);
      continue;
    }
    if (item) yield item;
  }
}
