import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, decodeStatusDetails } from '../../src/api/index.js';
import { point, T0 } from '../support/grpc-client.js';
import { startTestServer, type TestServer } from '../support/in-process-server.js';

describe('AdminService', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
    await call(s.clients.rules, 'applyRules', { source: 'rule hot { when cpu > 90 by (node) for 1m }\nrule cold { when cpu < 1 by (node) }' });
    await call(s.clients.ingest, 'ingestBatch', {
      batchId: 1,
      points: [point('cpu', { node: 'n1' }, 95, T0), point('cpu', { node: 'n2' }, 95, T0), point('cpu', { node: 'n3' }, 0, T0 + 1000)],
    });
  });
  afterEach(() => s.stop());

  it('lists actors of every kind in id order, filtered by kind and state', async () => {
    const all = await call<{ actors: Array<{ id: string; state: string }> }>(s.clients.admin, 'listActors', {});
    expect(all.actors.map((a) => `${a.id} ${a.state}`)).toEqual([
      'alert/cold/node=n3 firing',
      'alert/hot/node=n1 pending',
      'alert/hot/node=n2 pending',
      'rule/cold active',
      'rule/hot active',
    ]);
    const pending = await call<{ actors: Array<{ id: string }> }>(s.clients.admin, 'listActors', { kind: 'alert', state: 'pending' });
    expect(pending.actors.map((a) => a.id)).toEqual(['alert/hot/node=n1', 'alert/hot/node=n2']);
  });

  it('pages through actors with a page token', async () => {
    const first = await call<{ actors: Array<{ id: string }>; nextPageToken: string }>(s.clients.admin, 'listActors', { limit: 2 });
    expect(first.actors.map((a) => a.id)).toEqual(['alert/cold/node=n3', 'alert/hot/node=n1']);
    const second = await call<{ actors: Array<{ id: string }>; nextPageToken: string }>(s.clients.admin, 'listActors', { limit: 2, pageToken: first.nextPageToken });
    expect(second.actors.map((a) => a.id)).toEqual(['alert/hot/node=n2', 'rule/cold']);
    const third = await call<{ actors: Array<{ id: string }>; nextPageToken: string }>(s.clients.admin, 'listActors', { limit: 2, pageToken: second.nextPageToken });
    expect(third).toEqual({ actors: [expect.objectContaining({ id: 'rule/hot' })], nextPageToken: '' });
  });

  it('explains an alert: state, pending deadline and the transition with its triggering value', async () => {
    const d = await call<{ state: string; deadlines: Array<{ atMs: number }>; transitions: Array<{ cause: string; value: number; tsMs: number }>; resident: boolean; contextJson: string }>(
      s.clients.admin,
      'inspectActor',
      { id: 'alert/hot/node=n1' },
    );
    expect(d.state).toBe('pending');
    expect(d.deadlines.map((x) => x.atMs)).toEqual([T0 + 60_000]);
    expect(d.transitions).toEqual([{ fromState: 'inactive', toState: 'pending', tsMs: T0, value: 95, cause: 'cpu > 90 is true (value 95)' }]);
    expect(d.resident).toBe(true);
    expect(JSON.parse(d.contextJson)).toMatchObject({ forMs: 60_000, activeSince: T0, deadline: T0 + 60_000 });
  });

  it('shows the late items of a rule by source, and the no-data and keep-firing deadlines of an alert with their purpose', async () => {
    await call(s.clients.rules, 'applyRules', { source: 'rule quiet { when max(q) by (node) > 5 step 1m keep firing for 5m no data for 10m }' });
    await call(s.clients.ingest, 'ingestBatch', { batchId: 2, points: [point('q', { node: 'n1' }, 9, T0 + 1000), point('q', { node: 'n1' }, 1, T0 + 61_000), point('cpu', { node: 'n9' }, 50, T0 + 121_000)] });
    // Behind the watermark (T0 + 121 s): late for `hot` (cpu) from source grpc.
    await call(s.clients.ingest, 'ingestBatch', { batchId: 3, points: [point('cpu', { node: 'n1' }, 99, T0 + 2000)] });
    const rule = await call<{ contextJson: string }>(s.clients.admin, 'inspectActor', { id: 'rule/hot' });
    expect(JSON.parse(rule.contextJson).late).toEqual({ grpc: 1 });
    const alert = await call<{ state: string; deadlines: Array<{ atMs: number; purpose: string }> }>(s.clients.admin, 'inspectActor', { id: 'alert/quiet/node=n1' });
    expect(alert.state).toBe('firing');
    expect(alert.deadlines).toEqual([
      { atMs: T0 + 120_000 + 300_000, purpose: 'keep firing: resolves unless the condition holds again' },
      { atMs: T0 + 1000 + 600_000, purpose: 'no data: fires or resolves unless the group reports' },
    ]);
  });

  it('answers NOT_FOUND with a stable code for an unknown actor', async () => {
    const err = (await call(s.clients.admin, 'inspectActor', { id: 'alert/nope/x=1' }).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(decodeStatusDetails(err).code).toBe('ACTOR_NOT_FOUND');
  });

  it('reports the server state', async () => {
    const info = await call<Record<string, unknown>>(s.clients.admin, 'getServerInfo', {});
    expect(info).toMatchObject({ lastSequence: 3, watermarkMs: T0 + 1000, rules: 2, alertActors: 3, residentActors: 3, dataDir: s.dataDir });
  });
});

describe('IngestService de-duplication', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
    await call(s.clients.rules, 'applyRules', { source: 'rule hot { when cpu > 90 by (node) }' });
  });
  afterEach(() => s.stop());

  it('applies a re-sent producer batch once and says it was a duplicate', async () => {
    // Same timestamp, two values: replaying this batch would flap the alert again if it were applied twice.
    const batch = { producerId: 'agent-7', batchId: 41, points: [point('cpu', { node: 'n1' }, 95, T0), point('cpu', { node: 'n1' }, 10, T0)] };
    const first = await call<{ duplicate: boolean; lastSequence: number }>(s.clients.ingest, 'ingestBatch', batch);
    const again = await call<{ duplicate: boolean; lastSequence: number; accepted: number }>(s.clients.ingest, 'ingestBatch', batch);
    expect(first).toMatchObject({ duplicate: false, lastSequence: 2 });
    expect(again).toMatchObject({ duplicate: true, lastSequence: 2, accepted: 0 });
    const next = await call<{ duplicate: boolean }>(s.clients.ingest, 'ingestBatch', { ...batch, batchId: 42, points: [point('cpu', { node: 'n1' }, 95, T0 + 1)] });
    expect(next.duplicate).toBe(false);
    expect(s.engine.readEvents(0, 10).map((e) => e.to)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('rejects a malformed producer id with the field named', async () => {
    const err = (await call(s.clients.ingest, 'ingestBatch', { producerId: 'bad id!', batchId: 1, points: [] }).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(decodeStatusDetails(err).violations[0]!.field).toBe('producer_id');
  });
});
