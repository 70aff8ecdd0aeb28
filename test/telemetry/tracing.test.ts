import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { currentTraceparent, MAX_ALERT_IDS, traceBatch, traceDelivery, tracingEnabled } from '../../src/telemetry/index.js';
import { read, startInMemory, type Started } from './support.js';

let t: Started | undefined;
afterEach(async () => {
  await t?.finished();
  await t?.telemetry.shutdown();
  t = undefined;
});

/** What the engine does with a batch: the three marks in order. */
async function batch(source: string, opts: { transitions?: number; fail?: boolean } = {}): Promise<string> {
  return traceBatch({ source }, async (trace) => {
    trace.validated({ points: 10, events: 2, rejected: 1 });
    const events = Array.from({ length: opts.transitions ?? 2 }, (_, i) => ({ alert: `alert/r/host=h${i}` }));
    trace.evaluated(3, events, [{ alert: 'cluster/c1' }]);
    await new Promise((r) => setTimeout(r, 2));
    if (opts.fail) throw new Error('disk full');
    trace.committed();
    return 'ok';
  });
}

describe('ingest batch spans', () => {
  it('make one span per batch with a child span per phase, and the batch attributes', async () => {
    t = await startInMemory();
    expect(await batch('grpc')).toBe('ok');
    const spans = await t.finished();
    const root = spans.find((s) => s.name === 'vigil.ingest_batch')!;
    expect(root.attributes).toMatchObject({
      'vigil.source': 'grpc',
      'vigil.points': 10,
      'vigil.events': 2,
      'vigil.rejected': 1,
      'vigil.late': 3,
      'vigil.transitions': 3,
      'vigil.alert_ids': ['alert/r/host=h0', 'alert/r/host=h1', 'cluster/c1'],
      'vigil.outcome': 'committed',
    });
    expect(root.attributes['vigil.commit_ms']).toBeGreaterThan(1);
    const children = spans.filter((s) => s.parentSpanContext?.spanId === root.spanContext().spanId);
    expect(children.map((s) => s.name)).toEqual(['vigil.validate', 'vigil.evaluate', 'vigil.commit']);
    expect(children.every((s) => s.spanContext().traceId === root.spanContext().traceId)).toBe(true);
    // The phases follow one another inside the batch span.
    const ms = (hr: readonly [number, number]): number => hr[0] * 1000 + hr[1] / 1e6;
    for (let i = 1; i < children.length; i++) expect(ms(children[i]!.startTime)).toBe(ms(children[i - 1]!.endTime));
    expect(Math.abs(ms(children[0]!.startTime) - ms(root.startTime))).toBeLessThan(2);
    expect(Math.abs(ms(children[2]!.endTime) - ms(root.endTime))).toBeLessThan(2);
  });

  it('put at most MAX_ALERT_IDS alert ids on a span, with the exact transition count', async () => {
    t = await startInMemory();
    await batch('grpc', { transitions: 100 });
    const root = (await t.finished()).find((s) => s.name === 'vigil.ingest_batch')!;
    expect(root.attributes['vigil.transitions']).toBe(101);
    expect(root.attributes['vigil.alert_ids']).toHaveLength(MAX_ALERT_IDS);
  });

  it('mark a batch that fails as an error and rethrow', async () => {
    t = await startInMemory();
    await expect(batch('kafka:in/0', { fail: true })).rejects.toThrow('disk full');
    const root = (await t.finished()).find((s) => s.name === 'vigil.ingest_batch')!;
    expect(root.attributes['vigil.outcome']).toBe('error');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.events.map((e) => e.name)).toContain('exception');
  });

  it('mark a batch that returns before committing (a redelivered offset) as skipped', async () => {
    t = await startInMemory();
    await traceBatch({ source: 'grpc' }, async () => 'duplicate');
    const [root] = await t.finished();
    expect(root!.attributes['vigil.outcome']).toBe('skipped');
  });

  it('record batch and evaluation time and ingested events whether or not tracing is on', async () => {
    t = await startInMemory();
    await batch('grpc');
    expect(await read(t.reader, 'vigil_ingest_batch_duration')).toMatchObject([{ attributes: { source: 'grpc' }, value: { count: 1 } }]);
    expect(await read(t.reader, 'vigil_evaluate_duration')).toMatchObject([{ attributes: { source: 'grpc' }, value: { count: 1 } }]);
    expect(await read(t.reader, 'vigil_events_ingested')).toMatchObject([{ attributes: { source: 'grpc' }, value: 2 }]);
  });

  it('cost no spans when tracing is off: the batch still runs and returns its value', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(await batch('grpc')).toBe('ok');
    await expect(batch('grpc', { fail: true })).rejects.toThrow('disk full');
    expect(currentTraceparent()).toBeUndefined();
    t = await startInMemory();
    expect(await t.finished()).toEqual([]);
  });
});

describe('delivery attempt spans', () => {
  it('record the receiver, delivery, attempt and alert ids, linked to the batch that planned it', async () => {
    t = await startInMemory();
    let traceparent: string | undefined;
    await traceBatch({ source: 'grpc' }, async (trace) => {
      trace.validated({ points: 1, events: 0, rejected: 0 });
      trace.evaluated(0, [{ alert: 'alert/r/host=a' }]);
      traceparent = currentTraceparent(); // what the outbox would store with the planned delivery
      trace.committed();
    });
    const sent = await traceDelivery({ receiver: 'slack', delivery: 'slack:k1', attempt: 2, notifications: [{ subject: 'alert/r/host=a' }], traceparent: traceparent! }, async () => 'sent');
    expect(sent).toBe('sent');
    const spans = await t.finished();
    const root = spans.find((s) => s.name === 'vigil.ingest_batch')!;
    const attempt = spans.find((s) => s.name === 'vigil.delivery_attempt')!;
    expect(attempt.attributes).toMatchObject({ 'vigil.receiver': 'slack', 'vigil.delivery': 'slack:k1', 'vigil.attempt': 2, 'vigil.alert_ids': ['alert/r/host=a'], 'vigil.notifications': 1, 'vigil.outcome': 'sent' });
    expect(attempt.links.map((l) => l.context.spanId)).toEqual([root.spanContext().spanId]);
  });

  it('record a failed attempt with its error code and whether it is retriable, and rethrow', async () => {
    t = await startInMemory();
    const err = Object.assign(new Error('502 from receiver'), { deliveryCode: 'RECEIVER_UNAVAILABLE', retriable: true });
    await expect(traceDelivery({ receiver: 'hook', delivery: 'hook:k', attempt: 1 }, () => Promise.reject(err))).rejects.toBe(err);
    const [span] = await t.finished();
    expect(span!.attributes).toMatchObject({ 'vigil.outcome': 'failed', 'vigil.error_code': 'RECEIVER_UNAVAILABLE', 'vigil.retriable': true });
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: '502 from receiver' });
  });

  it('ignore a traceparent that is not one', async () => {
    t = await startInMemory();
    await traceDelivery({ receiver: 'hook', delivery: 'hook:k', attempt: 1, traceparent: 'garbage' }, async () => undefined);
    expect((await t.finished())[0]!.links).toEqual([]);
  });
});
