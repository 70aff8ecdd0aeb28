/** Checks one decoded event (job start/finish, upgrade, heartbeat, log signature) or says why not. */
import type { VigilEvent } from '../core/index.js';
import { validateTags, validateTs, type PointLimits } from './validate-point.js';

export type EventCheck = { ok: true; event: VigilEvent } | { ok: false; field: string; reason: string };

const eventType = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$/;

export function validateEvent(raw: unknown, limits: PointLimits = {}): EventCheck {
  const maxTags = limits.maxTags ?? 64;
  const maxLen = limits.maxStringLength ?? 1024;
  if (typeof raw !== 'object' || raw === null) return { ok: false, field: 'event', reason: 'must be an object' };
  const e = raw as Record<string, unknown>;
  if (typeof e.type !== 'string' || e.type === '') return { ok: false, field: 'type', reason: 'is required' };
  if (e.type.length > maxLen || !eventType.test(e.type)) return { ok: false, field: 'type', reason: `"${e.type}" is not a valid event type (dotted names such as job.started)` };
  const badTs = validateTs(e.ts);
  if (badTs) return { ok: false, field: 'ts', reason: badTs };
  const tags = validateTags(e.tags, maxTags, maxLen);
  if (!tags.ok) return tags;
  const rawFields = e.fields ?? {};
  if (typeof rawFields !== 'object' || rawFields === null || Array.isArray(rawFields)) return { ok: false, field: 'fields', reason: 'must be a map' };
  const fields: Record<string, string | number | boolean> = {};
  const entries = Object.entries(rawFields as Record<string, unknown>);
  if (entries.length > maxTags) return { ok: false, field: 'fields', reason: `has ${entries.length} fields, above the limit of ${maxTags}` };
  for (const [k, v] of entries) {
    if (typeof v === 'string' ? v.length > maxLen : typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      return { ok: false, field: `fields.${k}`, reason: 'must be a string (within the length limit), a finite number or a boolean' };
    }
    fields[k] = v as string | number | boolean;
  }
  return { ok: true, event: { type: e.type, tags: tags.tags, fields, ts: e.ts as number } };
}
