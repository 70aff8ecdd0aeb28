import { describe, expect, it } from 'vitest';
import { validateBatch, validateEvent } from '../src/ingest/index.js';

const T0 = Date.UTC(2026, 0, 1);

describe('ingest validation', () => {
  it('accepts a well-formed event and keeps its typed fields', () => {
    expect(validateEvent({ type: 'job.started', tags: { cluster: 'c1' }, fields: { job: 'backup-7', attempt: 2, manual: false }, ts: T0 })).toEqual({
      ok: true,
      event: { type: 'job.started', tags: { cluster: 'c1' }, fields: { job: 'backup-7', attempt: 2, manual: false }, ts: T0 },
    });
  });

  it.each([
    [{ tags: {}, ts: T0 }, 'type', 'is required'],
    [{ type: 'job started', ts: T0 }, 'type', '"job started" is not a valid event type (dotted names such as job.started)'],
    [{ type: 'job.started', ts: 1_700_000_000 }, 'ts', '1700000000 is outside 2000-01-01..2200-01-01; is it in seconds instead of milliseconds?'],
    [{ type: 'job.started', ts: T0, fields: { x: { nested: 1 } } }, 'fields.x', 'must be a string (within the length limit), a finite number or a boolean'],
    [{ type: 'job.started', ts: T0, tags: { c: 1 } }, 'tags.c', 'must be a string'],
  ])('rejects the malformed event %j', (raw, field, reason) => {
    expect(validateEvent(raw)).toEqual({ ok: false, field, reason });
  });

  it('sorts each list by event time, keeps arrival order on ties, and names the list of each rejection', () => {
    const v = validateBatch(
      {
        source: 's',
        points: [
          { name: 'a', value: 1, ts: T0 + 2 },
          { name: 'b', value: 1, ts: T0 + 1 },
          { name: 'c', value: 1, ts: T0 + 1 },
          { name: 'bad', value: Number.NaN, ts: T0 },
        ],
        events: [{ type: 'x', ts: T0 + 5 }, { type: 'y', ts: T0 + 3 }, { type: '', ts: T0 }],
      },
      undefined,
      0,
    );
    expect(v.points.map((p) => p.name)).toEqual(['b', 'c', 'a']);
    expect(v.events.map((e) => e.type)).toEqual(['y', 'x']);
    expect(v.rejected.map((r) => `${r.item}[${r.index}].${r.field}`)).toEqual(['point[3].value', 'event[2].type']);
    expect(v.deadLetters).toEqual([]);
  });

  it('turns rejections into dead letters with their offsets when the source asks for it', () => {
    const v = validateBatch({ source: 'kafka:t/1', points: [{ name: 'ok', value: 1, ts: T0 }, 'garbage'], pointOffsets: [10, 11], deadLetterRejected: true }, undefined, 42);
    expect(v.deadLetters).toEqual([{ source: 'kafka:t/1', offset: 11, code: 'POINT_INVALID', reason: 'point must be an object', payload: '"garbage"', at: 42 }]);
  });
});
