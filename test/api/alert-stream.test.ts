import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect, decodeStatusDetails, type VigilClients } from '../../src/api/index.js';
import { point, T0 } from '../support/grpc-client.js';
import { startApiServer, type ApiTestServer } from './support/server.js';
import { AlertCollector } from '../support/grpc-client.js';
import { accepted, drain, openStream as open } from './support/stream.js';

describe('AlertService.StreamAlerts', () => {
  let s: ApiTestServer;
  let c: VigilClients;
  afterEach(async () => {
    c.close();
    await s.stop();
  });

  const start = async (options: Parameters<typeof startApiServer>[0] = {}): Promise<void> => {
    s = await startApiServer(options);
    c = connect(s.address);
  };

  it('filters by rule, labels, severity and cluster, in any combination', async () => {
    await start();
    await call(c.rules, 'applyRules', {
      source: 'rule cpu_high { when cpu > 90 by (cluster, node) severity critical }\nrule cpu_warm { when cpu > 70 by (cluster, node) severity warning labels { team = "infra" } }',
    });
    const want = {
      critical: new AlertCollector(c, { severities: ['critical'] }),
      c2: new AlertCollector(c, { clusters: ['c2'] }),
      infraC1: new AlertCollector(c, { labels: { team: 'infra', cluster: 'c1' } }),
      warmN2: new AlertCollector(c, { rules: ['cpu_warm'], labels: { node: 'n2' } }),
    };
    await call(c.ingest, 'ingestBatch', {
      batchId: 1,
      points: [point('cpu', { cluster: 'c1', node: 'n1' }, 95, T0), point('cpu', { cluster: 'c1', node: 'n2' }, 75, T0), point('cpu', { cluster: 'c2', node: 'n2' }, 95, T0)],
    });
    // Then everything resolves: any event a filter let through wrongly would take one of the four places.
    await call(c.ingest, 'ingestBatch', {
      batchId: 2,
      points: [point('cpu', { cluster: 'c1', node: 'n1' }, 0, T0 + 1), point('cpu', { cluster: 'c1', node: 'n2' }, 0, T0 + 1), point('cpu', { cluster: 'c2', node: 'n2' }, 0, T0 + 1)],
    });
    const seen = async (x: AlertCollector): Promise<string[]> => (await x.waitFor(4)).map((e) => `${e.rule} ${e.labels.cluster}/${e.labels.node} ${e.toState}`).sort();
    const both = (...alerts: string[]): string[] => alerts.flatMap((a) => [`${a} firing`, `${a} resolved`]).sort();
    expect(await seen(want.critical)).toEqual(both('cpu_high c1/n1', 'cpu_high c2/n2'));
    expect(await seen(want.c2)).toEqual(both('cpu_high c2/n2', 'cpu_warm c2/n2'));
    expect(await seen(want.infraC1)).toEqual(both('cpu_warm c1/n1', 'cpu_warm c1/n2'));
    expect(await seen(want.warmN2)).toEqual(both('cpu_warm c1/n2', 'cpu_warm c2/n2'));
    Object.values(want).forEach((x) => x.cancel());
  });

  it('rejects an empty label name with INVALID_ARGUMENT', async () => {
    await start();
    const err = await drain(open(c, { labels: { '': 'x' } }));
    expect(err.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(decodeStatusDetails(err.error!).violations[0]?.field).toBe('labels');
  });

  it('refuses a subscriber over the limit with RESOURCE_EXHAUSTED, and admits one again when a slot frees', async () => {
    await start({ maxStreamSubscribers: 2 });
    const first = open(c, {});
    const second = open(c, {});
    await Promise.all([accepted(first), accepted(second)]);
    const third = await drain(open(c, {}));
    expect(third.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(decodeStatusDetails(third.error!)).toMatchObject({ code: 'LIMIT_EXCEEDED', info: { max: '2', actual: '3' } });
    first.on('error', () => undefined);
    first.cancel();
    // A client that gets LIMIT_EXCEEDED retries; the slot frees once the server has seen the cancellation.
    let fourth = open(c, {});
    for (let attempt = 1; !(await accepted(fourth).then(() => true, () => false)); attempt++) {
      expect(attempt).toBeLessThan(100);
      fourth = open(c, {});
    }
    expect(s.grpc.alertSubscribers()).toBe(2);
    for (const x of [second, fourth]) {
      x.on('error', () => undefined);
      x.cancel();
    }
  });

  it('ends a subscriber that stops reading with SUBSCRIBER_TOO_SLOW; it resumes from its last sequence without a gap', async () => {
    await start({ streamBufferEvents: 5 });
    await call(c.rules, 'applyRules', { source: 'rule big { when size > 0 }' });
    // A second connection, so the slow reader's flow control does not hold up the ingest calls.
    const reader = connect(s.address);
    const slow = open(reader, {});
    await accepted(slow);
    slow.pause();
    // Large labels (under LMDB's key size: the alert id holds them) fill the transport windows quickly; each batch fires 20 new alerts.
    const pad = 'x'.repeat(1000);
    let batch = 0;
    while (s.grpc.alertSubscribers() > 0 && batch < 200) {
      batch++;
      const points = Array.from({ length: 20 }, (_, i) => point('size', { key: `${batch}-${i}`, pad }, 1, T0 + batch));
      expect(await call(c.ingest, 'ingestBatch', { batchId: batch, points })).toMatchObject({ accepted: 20 });
    }
    expect(s.grpc.alertSubscribers()).toBe(0);
    const last = s.engine.lastSeq();

    // The client reads what was sent before the server gave up, then the status.
    const result = drain(slow);
    slow.resume();
    const { events, error } = await result;
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const details = decodeStatusDetails(error!);
    expect(details.code).toBe('SUBSCRIBER_TOO_SLOW');
    // The server says how far it got; the client resumes after the last event it actually received.
    const sentUpTo = Number(details.info.last_sequence);
    expect(sentUpTo).toBeLessThan(last);
    const resumeAfter = events.at(-1)?.sequence ?? 0;
    expect(resumeAfter).toBeLessThanOrEqual(sentUpTo);

    const resumed = new AlertCollector(reader, { afterSequence: resumeAfter });
    const rest = await resumed.waitFor(last - resumeAfter);
    expect([...events, ...rest].map((e) => e.sequence)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    resumed.cancel();
    reader.close();
  });
});
