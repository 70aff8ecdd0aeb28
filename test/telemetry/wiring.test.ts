/**
 * The stages' telemetry hooks (issue 10): the engine traces each ingest batch
 * and records step close latency, the dispatcher traces each delivery attempt,
 * and the deliver stage's metrics reach an exporter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/index.js';
import { Engine } from '../../src/engine.js';
import { tempDir } from '../support/temp-dir.js';
import { alertEvent, harness, switchableReceiver, type Harness } from '../deliver/support.js';
import { read, startInMemory, type Started } from './support.js';

const T0 = Date.UTC(2026, 0, 1);
let t: Started | undefined;
let engine: Engine | undefined;
let h: Harness | undefined;
const dir = tempDir('vigil-telemetry-');
afterEach(async () => {
  await h?.dispose();
  await engine?.close();
  await t?.finished();
  await t?.telemetry.shutdown();
  t = undefined;
  engine = undefined;
  h = undefined;
});

describe('telemetry wiring', () => {
  it('traces an ingest batch through validate, evaluate and commit with the alert it fired', async () => {
    t = await startInMemory();
    const clock = new ManualClock(T0 + 65_000);
    engine = Engine.open({ dataDir: `${dir.path}/a`, clock });
    await engine.applyRules('rule hot { when cpu > 90 by (host) }\nrule stepped { when max(cpu) by (host) > 90 step 1m }');
    await engine.ingest('grpc', [
      { name: 'cpu', tags: { host: 'h1' }, value: 95, ts: T0 + 1_000 },
      { name: 'cpu', tags: { host: 'h2' }, value: 10, ts: T0 + 60_000 },
      { name: 'cpu', tags: {}, value: 'bad', ts: T0 + 60_000 },
    ]);
    const spans = await t.finished();
    const root = spans.find((s) => s.name === 'vigil.ingest_batch')!;
    expect(root.attributes).toMatchObject({ 'vigil.source': 'grpc', 'vigil.points': 2, 'vigil.rejected': 1, 'vigil.outcome': 'committed' });
    expect(root.attributes['vigil.alert_ids']).toEqual(expect.arrayContaining(['alert/hot/host=h1', 'alert/stepped/host=h1']));
    expect(spans.filter((s) => s.parentSpanContext?.spanId === root.spanContext().spanId).map((s) => s.name)).toEqual(['vigil.validate', 'vigil.evaluate', 'vigil.commit']);
    expect(await read(t.reader, 'vigil_ingest_batch_duration')).toMatchObject([{ value: { count: 1 } }]);
    // The step [T0, T0+60s) closed at wall time T0+65s.
    expect(await read(t.reader, 'vigil_step_close_latency')).toMatchObject([{ value: { count: 1, sum: 5_000 } }]);
    expect((await read(t.reader, 'vigil_commit_entries'))[0]?.value).toMatchObject({ count: 1 });
  });

  it('traces delivery attempts and exports delivery outcomes', async () => {
    t = await startInMemory();
    const pager = switchableReceiver('pager');
    h = await harness({
      startAt: T0,
      delivery: { retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0 }, receivers: [{ name: 'pager', type: 'webhook', url: 'http://unused' }], route: { receiver: 'pager', groupWaitMs: 0, groupIntervalMs: 0 } },
      receivers: new Map([['pager', pager.receiver]]),
    });
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', T0, 2)]);
    pager.state.down = false;
    await h.advance(1_000);
    const attempts = (await t.finished()).filter((s) => s.name === 'vigil.delivery_attempt');
    expect(attempts.map((s) => [s.attributes['vigil.attempt'], s.attributes['vigil.outcome']])).toEqual([
      [1, 'failed'],
      [2, 'sent'],
    ]);
    expect(attempts[0]!.attributes).toMatchObject({ 'vigil.receiver': 'pager', 'vigil.alert_ids': ['alert/cpu/cluster=c1'], 'vigil.retriable': true });
    const outcomes = await read(t.reader, 'vigil_delivery_outcomes');
    expect(outcomes.map((p) => [p.attributes.outcome, p.value])).toEqual(expect.arrayContaining([['sent', 1], ['failed_temporary', 1]]));
  });
});
