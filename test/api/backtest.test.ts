import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, type VigilClients } from '../../src/api/index.js';
import type { BacktestResponseMsg } from '../../src/api/backtest.js';
import { readDataFile, type ReplayItem } from '../../src/replay/index.js';
import { repoRoot } from '../support/vigil-process.js';
import { failure } from './support/failure.js';
import { grants, startApiServer, tokens, type ApiTestServer } from './support/server.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'replay');
const rules = readFileSync(join(fixtures, 'rules.vigil'), 'utf8');

/** The replay fixture as BacktestRequest items, in file order. */
async function fixtureItems(): Promise<object[]> {
  const out: object[] = [];
  for await (const i of readDataFile(join(fixtures, 'data.ndjson'))) out.push(toItem(i));
  return out;
}

function toItem(i: ReplayItem): object {
  if (i.kind === 'point') return { point: { name: i.point.name, tags: i.point.tags, value: i.point.value, tsMs: i.point.ts } };
  const fields = Object.fromEntries(Object.entries(i.event.fields).map(([k, v]) => [k, String(v)]));
  return { event: { type: i.event.type, tags: i.event.tags, fields, tsMs: i.event.ts } };
}

describe('RuleService.Backtest', () => {
  let s: ApiTestServer;
  let c: VigilClients;
  beforeAll(async () => {
    s = await startApiServer({ security: { tokens: grants } });
    c = connect(s.address, { token: tokens.read });
  });
  afterAll(async () => {
    c.close();
    await s.stop();
  });

  it('returns the transitions the rules would have caused, as vigil replay prints them, for a read token', async () => {
    const res = await call<BacktestResponseMsg>(c.rules, 'backtest', { source: rules, items: await fixtureItems(), allowedLatenessMs: 30_000, untilMs: Date.parse('2026-11-23T07:07:20Z') });
    expect(res.transitions.map((t) => [new Date(t.tsMs).toISOString(), t.rule, t.labels, t.fromState, t.toState, t.value])).toEqual([
      ['2026-11-23T07:00:30.000Z', 'high_ping', { agent: 'a1', target: 't1' }, 'inactive', 'firing', 720],
      ['2026-11-23T07:01:45.000Z', 'high_ping', { agent: 'a1', target: 't1' }, 'firing', 'resolved', 95],
      ['2026-11-23T07:02:00.000Z', 'error_ratio', { cluster: 'c1' }, 'inactive', 'firing', 60],
      ['2026-11-23T07:04:00.000Z', 'error_ratio', { cluster: 'c1' }, 'firing', 'resolved', NaN],
    ]);
    expect(res.transitions.map((t) => t.sequence)).toEqual([1, 2, 3, 4]);
    expect(res).toMatchObject({ points: 10, events: 1, late: 1, watermarkMs: Date.parse('2026-11-23T07:07:20Z') });
  });

  it('stops at the last item without until_ms, and counts late items without lateness', async () => {
    const res = await call<BacktestResponseMsg>(c.rules, 'backtest', { source: rules, items: await fixtureItems() });
    expect(res.transitions.map((t) => `${t.rule} ${t.toState}`)).toEqual(['high_ping firing', 'high_ping resolved']);
    expect(res).toMatchObject({ late: 2, watermarkMs: Date.parse('2026-11-23T07:02:20Z') });
  });

  it('stores nothing on the server', async () => {
    await call(c.rules, 'backtest', { source: rules, items: await fixtureItems(), untilMs: Date.parse('2026-11-23T08:00:00Z') });
    expect(s.engine.listRules()).toEqual([]);
    expect(s.engine.lastSeq()).toBe(0);
  });

  it('locates rule errors in the source and item errors by index and field', async () => {
    expect(await failure(call(c.rules, 'backtest', { source: 'rule broken {\n  when ping_ms >\n}\n', items: [] }))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      reason: 'RULE_SYNTAX',
      field: 'source:3:1',
    });
    const items = [{ point: { name: 'ping_ms', value: 1, tsMs: Date.parse('2026-11-23T07:00:00Z') } }, { point: { name: 'ping_ms', value: 1, tsMs: 5 } }];
    expect(await failure(call(c.rules, 'backtest', { source: rules, items }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, reason: 'ARGUMENT_INVALID', field: 'items[1].point.ts_ms' });
    expect(await failure(call(c.rules, 'backtest', { source: rules, items: [{}] }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'items[0]' });
    expect(await failure(call(c.rules, 'backtest', { source: '  ', items: [] }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'source' });
  });

  it('refuses more than 100000 items with LIMIT_EXCEEDED', async () => {
    const point = { point: { name: 'x', value: 1, tsMs: Date.parse('2026-11-23T07:00:00Z') } };
    const res = await failure(call(c.rules, 'backtest', { source: rules, items: new Array<object>(100_001).fill(point) }));
    expect(res).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, reason: 'LIMIT_EXCEEDED', info: { max: '100000', actual: '100001' } });
  });

  it('refuses a call without a token', async () => {
    const anonymous = connect(s.address);
    try {
      expect(await failure(call(anonymous.rules, 'backtest', { source: rules, items: [] }))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    } finally {
      anonymous.close();
    }
  });
});
