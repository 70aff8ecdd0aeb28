import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect, decodeStatusDetails, type AlertEventMsg, type VigilClients } from '../../src/api/index.js';
import { AlertSubscription } from '../../src/api/alert-stream.js';
import { AlertCollector, point, T0 } from '../support/grpc-client.js';
import { startApiServer, type ApiTestServer } from './support/server.js';
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

  // Deterministic: a grpc-js client that pauses keeps reading the socket into its own memory, so an end-to-end
  // "stop reading" only sometimes pushes back on the server. Here the transport pushes back for certain.
  it('ends a subscriber whose transport stays full with SUBSCRIBER_TOO_SLOW after its buffer fills; a resume after its last event has no gap', async () => {
    await start();
    await call(c.rules, 'applyRules', { source: 'rule big { when size > 0 }' });
    const written: AlertEventMsg[] = [];
    const errors: Error[] = [];
    let room = 3;
    const transport = Object.assign(new EventEmitter(), {
      write: (e: AlertEventMsg): boolean => {
        written.push(e);
        return --room > 0;
      },
    });
    transport.on('error', (e: Error) => errors.push(e));
    let ended = 0;
    const sub = new AlertSubscription(s.engine, transport as unknown as grpc.ServerWritableStream<unknown, AlertEventMsg>, () => true, 0, { maxBufferedEvents: 5, pageSize: 100, onEnd: () => ended++ });
    sub.start();
    for (let batch = 1; batch <= 3 && errors.length === 0; batch++) {
      await call(c.ingest, 'ingestBatch', { batchId: batch, points: Array.from({ length: 4 }, (_, i) => point('size', { key: `${batch}-${i}` }, 1, T0 + batch)) });
    }
    // 3 written before the transport filled; then 4 + 4 buffered: more than 5, so the subscriber is dropped.
    expect(written.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
    const details = decodeStatusDetails(errors[0] as grpc.ServiceError);
    expect(details.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(Number(details.info.last_sequence)).toBe(3);
    expect(ended).toBe(1);
    const resumed = new AlertCollector(c, { afterSequence: 3 });
    const rest = await resumed.waitFor(s.engine.lastSeq() - 3);
    expect([...written, ...rest].map((e) => e.sequence)).toEqual(Array.from({ length: s.engine.lastSeq() }, (_, i) => i + 1));
    resumed.cancel();
  });
});
