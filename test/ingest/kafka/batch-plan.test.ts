import { describe, expect, it } from 'vitest';
import { planBatches, type KafkaRecord, type PlanOptions } from '../../../src/ingest/kafka/batch-plan.js';
import { cpu, record } from './support.js';

const options: PlanOptions = { format: 'json', protobufMessage: 'batch', keyTag: 'cluster', maxMessageBytes: 10_000, maxPointsPerMessage: 100, maxPointsPerBatch: 4, deadLetterPayloadBytes: 16 };
const plan = (records: KafkaRecord[], storedOffset?: number, extra: Partial<PlanOptions> = {}) =>
  planBatches({ source: 'kafka:points/0', kind: 'points', records, storedOffset, now: 7, options: { ...options, ...extra } });

describe('batch planning', () => {
  it('carries every point with the offset it came from and the offset to resume from', () => {
    const { batches } = plan([record(10, cpu('n1', 1, 0)), record(11, [cpu('n2', 2, 0), cpu('n3', 3, 0)])]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ source: 'kafka:points/0', firstOffset: 10, nextOffset: 12, lastOffset: '11', pointOffsets: [10, 11, 11], deadLetterRejected: true });
  });

  it('splits at message boundaries so no engine batch exceeds maxPointsPerBatch', () => {
    const three = [cpu('a', 1, 0), cpu('b', 1, 0), cpu('c', 1, 0)];
    const { batches } = plan([record(0, three), record(1, three), record(2, cpu('d', 1, 0))]);
    expect(batches.map((b) => [b.firstOffset, b.nextOffset, b.points.length])).toEqual([
      [0, 1, 3],
      [1, 3, 4],
    ]);
  });

  it('drops messages below the stored offset as already applied', () => {
    const result = plan([record(5, cpu('a', 1, 0)), record(6, cpu('b', 1, 0)), record(7, cpu('c', 1, 0))], 7);
    expect(result.skipped).toBe(2);
    expect(result.batches).toHaveLength(1);
    expect(result.batches[0]).toMatchObject({ firstOffset: 7, nextOffset: 8, pointOffsets: [7] });
    expect(plan([record(5, cpu('a', 1, 0))], 6)).toEqual({ batches: [], skipped: 1 });
  });

  it('turns poison messages into dead letters and keeps the partition moving', () => {
    const { batches } = plan([record(0, Buffer.from('not json at all, really'), { raw: true }), record(1, cpu('a', 1, 0)), record(2, null)]);
    expect(batches).toHaveLength(1);
    const [b] = batches;
    expect(b!.nextOffset).toBe(3);
    expect(b!.points).toHaveLength(1);
    expect(b!.deadLetters).toEqual([
      { source: 'kafka:points/0', offset: 0, code: 'DECODE_FAILED', reason: expect.stringContaining('not valid JSON'), payload: 'not json at all,…', at: 7 },
      { source: 'kafka:points/0', offset: 2, code: 'EMPTY_MESSAGE', reason: expect.any(String), payload: '', at: 7 },
    ]);
  });

  it('dead-letters a message holding more points than one engine batch may', () => {
    const five = Array.from({ length: 5 }, (_, i) => cpu(`n${i}`, 1, 0));
    const { batches } = plan([record(0, five)]);
    expect(batches[0]!.deadLetters?.[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', offset: 0 });
  });

  it('dead-letters a message whose content-type header is not understood', () => {
    const { batches } = plan([record(0, cpu('a', 1, 0), { headers: { 'content-type': 'text/csv' } })]);
    expect(batches[0]!.deadLetters?.[0]).toMatchObject({ code: 'DECODE_FAILED', reason: expect.stringContaining('text/csv') });
  });

  it('fills the routing tag from the message key when a point lacks it, never overriding it', () => {
    const { batches } = plan([record(0, [{ name: 'up', value: 1, ts: cpu('a', 1, 0).ts }, cpu('n1', 1, 0, 'c9')], { key: 'c7' })]);
    expect(batches[0]!.points).toEqual([{ name: 'up', value: 1, ts: cpu('a', 1, 0).ts, tags: { cluster: 'c7' } }, cpu('n1', 1, 0, 'c9')]);
  });

  it('plans events topics into the events list', () => {
    const ev = { type: 'cluster.upgrade.start', tags: { cluster: 'c1' }, fields: {}, ts: cpu('a', 1, 0).ts };
    const result = planBatches({ source: 'kafka:events/0', kind: 'events', records: [record(3, ev)], storedOffset: undefined, now: 0, options });
    expect(result.batches[0]).toMatchObject({ points: [], events: [ev], eventOffsets: [3], nextOffset: 4 });
  });
});
