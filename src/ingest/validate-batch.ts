/** Validates a source batch: valid points and events go on (sorted by event time), the rest become rejections. */
import { ErrorCodes, type DataPoint, type VigilEvent } from '../core/index.js';
import type { DeadLetter, Rejection, SourceBatch } from './source.js';
import { validateEvent } from './validate-event.js';
import { validatePoint, type PointLimits } from './validate-point.js';

export interface ValidatedBatch {
  /** Sorted by event time; equal timestamps keep arrival order. */
  readonly points: DataPoint[];
  readonly events: VigilEvent[];
  readonly rejected: Rejection[];
  /** The batch's own dead letters plus, when asked for, its invalid items. */
  readonly deadLetters: DeadLetter[];
}

const maxPayloadChars = 4096;

function payloadText(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > maxPayloadChars ? `${text.slice(0, maxPayloadChars)}…` : text;
}

export function validateBatch(batch: SourceBatch, limits: PointLimits | undefined, now: number): ValidatedBatch {
  const out: ValidatedBatch = { points: [], events: [], rejected: [], deadLetters: [...(batch.deadLetters ?? [])] };
  const reject = (item: 'point' | 'event', index: number, field: string, reason: string, raw: unknown, offset: number | undefined): void => {
    out.rejected.push({ item, index, field, reason });
    if (!batch.deadLetterRejected) return;
    out.deadLetters.push({
      source: batch.source,
      ...(offset !== undefined ? { offset } : {}),
      code: ErrorCodes.POINT_INVALID,
      reason: field === item ? `${item} ${reason}` : `${item} ${field}: ${reason}`,
      payload: payloadText(raw),
      at: now,
    });
  };
  batch.points.forEach((raw, index) => {
    const c = validatePoint(raw, limits);
    if (c.ok) out.points.push(c.point);
    else reject('point', index, c.field, c.reason, raw, batch.pointOffsets?.[index]);
  });
  (batch.events ?? []).forEach((raw, index) => {
    const c = validateEvent(raw, limits);
    if (c.ok) out.events.push(c.event);
    else reject('event', index, c.field, c.reason, raw, batch.eventOffsets?.[index]);
  });
  // Array.prototype.sort is stable, so equal timestamps keep arrival order.
  out.points.sort((a, b) => a.ts - b.ts);
  out.events.sort((a, b) => a.ts - b.ts);
  return out;
}
