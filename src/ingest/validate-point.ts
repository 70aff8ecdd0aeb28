/** Checks one decoded data point and normalises it, or says precisely why it is rejected. */
import type { DataPoint } from '../core/index.js';

export interface PointLimits {
  /** Most tags on one point. @default 64 */
  maxTags?: number;
  /** Longest metric name, tag key or tag value, in characters. @default 1024 */
  maxStringLength?: number;
}

export type PointCheck = { ok: true; point: DataPoint } | { ok: false; field: string; reason: string };

const metricName = /^[a-zA-Z_][a-zA-Z0-9_:.]*$/;
const tagKey = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;
/** Event times outside these bounds are almost always seconds-vs-milliseconds mistakes. */
const minTs = Date.UTC(2000, 0, 1);
const maxTs = Date.UTC(2200, 0, 1);

function fail(field: string, reason: string): PointCheck {
  return { ok: false, field, reason };
}

/** Checks the fields points and events share: tags and event time. */
export function validateTags(raw: unknown, maxTags: number, maxLen: number): { ok: true; tags: Record<string, string> } | { ok: false; field: string; reason: string } {
  const rawTags = raw ?? {};
  if (typeof rawTags !== 'object' || rawTags === null || Array.isArray(rawTags)) return { ok: false, field: 'tags', reason: 'must be a map of strings' };
  const entries = Object.entries(rawTags as Record<string, unknown>);
  if (entries.length > maxTags) return { ok: false, field: 'tags', reason: `has ${entries.length} tags, above the limit of ${maxTags}` };
  const tags: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!tagKey.test(k) || k.length > maxLen) return { ok: false, field: `tags.${k}`, reason: 'is not a valid tag key' };
    if (typeof v !== 'string') return { ok: false, field: `tags.${k}`, reason: 'must be a string' };
    if (v.length > maxLen) return { ok: false, field: `tags.${k}`, reason: `is longer than ${maxLen} characters` };
    tags[k] = v;
  }
  return { ok: true, tags };
}

export function validateTs(ts: unknown): string | undefined {
  if (typeof ts !== 'number' || !Number.isInteger(ts)) return `must be an integer of milliseconds since the epoch, got ${String(ts)}`;
  if (ts < minTs || ts > maxTs) return `${ts} is outside 2000-01-01..2200-01-01; is it in seconds instead of milliseconds?`;
  return undefined;
}

export function validatePoint(raw: unknown, limits: PointLimits = {}): PointCheck {
  const maxTags = limits.maxTags ?? 64;
  const maxLen = limits.maxStringLength ?? 1024;
  if (typeof raw !== 'object' || raw === null) return fail('point', 'must be an object');
  const p = raw as Record<string, unknown>;
  const { name, value, ts } = p;
  if (typeof name !== 'string' || name === '') return fail('name', 'is required');
  if (name.length > maxLen) return fail('name', `is longer than ${maxLen} characters`);
  if (!metricName.test(name)) return fail('name', `"${name}" is not a valid metric name (letters, digits, _ : . ; not starting with a digit)`);
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('value', `must be a finite number, got ${String(value)}`);
  const badTs = validateTs(ts);
  if (badTs) return fail('ts', badTs);
  const tags = validateTags(p.tags, maxTags, maxLen);
  if (!tags.ok) return tags;
  return { ok: true, point: { name, tags: tags.tags, value, ts: ts as number } };
}
