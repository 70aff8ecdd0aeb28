/**
 * Checks one decoded event (cluster lifecycle, log signature, job, heartbeat):
 * `{ type, tags, fields, ts }`. Lives with the Kafka source until the engine
 * takes events; then it belongs next to validate-point.ts.
 */

/** An event as it travels the ordered stream with the points. */
export interface SourceEvent {
  readonly type: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly ts: number;
}

export type EventCheck = { ok: true; event: SourceEvent } | { ok: false; field: string; reason: string };

const eventType = /^[a-zA-Z_][a-zA-Z0-9_.:-]*$/;
const minTs = Date.UTC(2000, 0, 1);
const maxTs = Date.UTC(2200, 0, 1);
const maxEntries = 64;

function fail(field: string, reason: string): EventCheck {
  return { ok: false, field, reason };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function validateEvent(raw: unknown): EventCheck {
  if (!isMap(raw)) return fail('event', 'must be an object');
  const { type, ts } = raw;
  if (typeof type !== 'string' || type === '') return fail('type', 'is required');
  if (!eventType.test(type) || type.length > 256) return fail('type', `"${type}" is not a valid event type`);
  if (typeof ts !== 'number' || !Number.isInteger(ts)) return fail('ts', `must be an integer of milliseconds since the epoch, got ${String(ts)}`);
  if (ts < minTs || ts > maxTs) return fail('ts', `${ts} is outside 2000-01-01..2200-01-01; is it in seconds instead of milliseconds?`);
  const rawTags = raw.tags ?? {};
  if (!isMap(rawTags)) return fail('tags', 'must be a map of strings');
  const tagEntries = Object.entries(rawTags);
  if (tagEntries.length > maxEntries) return fail('tags', `has ${tagEntries.length} tags, above the limit of ${maxEntries}`);
  for (const [k, v] of tagEntries) if (typeof v !== 'string') return fail(`tags.${k}`, 'must be a string');
  const rawFields = raw.fields ?? {};
  if (!isMap(rawFields)) return fail('fields', 'must be a map');
  const fieldEntries = Object.entries(rawFields);
  if (fieldEntries.length > maxEntries) return fail('fields', `has ${fieldEntries.length} fields, above the limit of ${maxEntries}`);
  for (const [k, v] of fieldEntries) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) return fail(`fields.${k}`, 'must be a string, a finite number or a boolean');
  }
  return {
    ok: true,
    event: { type, tags: rawTags as Record<string, string>, fields: rawFields as Record<string, string | number | boolean>, ts },
  };
}
