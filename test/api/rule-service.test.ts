import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, connect, type ListRulesResponseMsg, type RuleMsg, type VigilClients } from '../../src/api/index.js';
import { failure } from './support/failure.js';
import { startApiServer, type ApiTestServer } from './support/server.js';

const hot = (threshold: number): string => `rule hot { when cpu > ${threshold} by (node) severity critical labels { team = "infra" } }`;

describe('RuleService.UpdateRule', () => {
  let s: ApiTestServer;
  let c: VigilClients;
  beforeEach(async () => {
    s = await startApiServer();
    c = connect(s.address);
    await call(c.rules, 'applyRules', { source: hot(90) });
  });
  afterEach(async () => {
    c.close();
    await s.stop();
  });

  it('replaces a rule at the expected version and bumps the version', async () => {
    await expect(call(c.rules, 'updateRule', { source: hot(80), expectedVersion: 1 })).resolves.toEqual({ rules: [{ name: 'hot', version: 2, change: 'updated' }] });
    await expect(call<RuleMsg>(c.rules, 'getRule', { name: 'hot' })).resolves.toMatchObject({ version: 2, severity: 'critical', labels: { team: 'infra' } });
  });

  it('answers ABORTED with RULE_VERSION_CONFLICT when someone changed the rule since that version', async () => {
    await call(c.rules, 'updateRule', { source: hot(80), expectedVersion: 1 });
    expect(await failure(call(c.rules, 'updateRule', { source: hot(70), expectedVersion: 1 }))).toMatchObject({ code: grpc.status.ABORTED, reason: 'RULE_VERSION_CONFLICT' });
    await expect(call<RuleMsg>(c.rules, 'getRule', { name: 'hot' })).resolves.toMatchObject({ version: 2, source: expect.stringContaining('> 80') });
  });

  it('updates unconditionally without an expected version, and refuses what is not an update of one rule', async () => {
    await expect(call(c.rules, 'updateRule', { source: hot(85) })).resolves.toEqual({ rules: [{ name: 'hot', version: 2, change: 'updated' }] });
    expect(await failure(call(c.rules, 'updateRule', { source: 'rule cold { when cpu < 1 }' }))).toMatchObject({ code: grpc.status.NOT_FOUND, reason: 'RULE_NOT_FOUND' });
    expect(await failure(call(c.rules, 'updateRule', { source: `${hot(1)}\nrule cold { when cpu < 1 }` }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'source' });
    expect(await failure(call(c.rules, 'updateRule', { source: hot(1), name: 'cold' }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'name' });
    expect(await failure(call(c.rules, 'updateRule', { source: 'rule {' }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, reason: 'RULE_SYNTAX' });
  });

  it('checks expected versions on ApplyRules too, 0 meaning the rule must not exist yet', async () => {
    const both = `${hot(60)}\nrule cold { when cpu < 1 }`;
    expect(await failure(call(c.rules, 'applyRules', { source: both, expectedVersions: { hot: 1, cold: 1 } }))).toMatchObject({ code: grpc.status.ABORTED, reason: 'RULE_VERSION_CONFLICT' });
    await expect(call(c.rules, 'applyRules', { source: both, expectedVersions: { hot: 1, cold: 0 } })).resolves.toEqual({
      rules: [
        { name: 'hot', version: 2, change: 'updated' },
        { name: 'cold', version: 1, change: 'created' },
      ],
    });
  });
});

describe('RuleService.ListRules', () => {
  let s: ApiTestServer;
  let c: VigilClients;
  const names = ['api_errors', 'api_latency', 'db_errors', 'db_latency', 'disk_full'];
  beforeEach(async () => {
    s = await startApiServer();
    c = connect(s.address);
    const source = names.map((n) => `rule ${n} { when ${n} > 1 labels { team = "${n.startsWith('api') ? 'web' : 'data'}" } }`).join('\n');
    await call(c.rules, 'applyRules', { source });
  });
  afterEach(async () => {
    c.close();
    await s.stop();
  });

  const list = (req: object): Promise<ListRulesResponseMsg> => call<ListRulesResponseMsg>(c.rules, 'listRules', req);

  it('pages through every rule in name order without repeats', async () => {
    const seen: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await list({ pageSize: 2, pageToken });
      expect(page.rules.length).toBeLessThanOrEqual(2);
      seen.push(...page.rules.map((r) => r.name));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it('filters by name prefix and by labels, paging within the filter', async () => {
    expect((await list({ namePrefix: 'db_' })).rules.map((r) => r.name)).toEqual(['db_errors', 'db_latency']);
    const first = await list({ labels: { team: 'data' }, pageSize: 2 });
    expect(first.rules.map((r) => [r.name, r.labels])).toEqual([
      ['db_errors', { team: 'data' }],
      ['db_latency', { team: 'data' }],
    ]);
    expect((await list({ labels: { team: 'data' }, pageSize: 2, pageToken: first.nextPageToken })).rules.map((r) => r.name)).toEqual(['disk_full']);
    expect(await list({ namePrefix: 'api', labels: { team: 'data' } })).toEqual({ rules: [], nextPageToken: '' });
  });

  it('returns everything on one page when no page size is given', async () => {
    expect(await list({})).toMatchObject({ rules: names.map((name) => ({ name, version: 1 })), nextPageToken: '' });
  });

  it('rejects a page size above the limit and a token it did not issue', async () => {
    expect(await failure(list({ pageSize: 5000 }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'page_size' });
    expect(await failure(list({ pageToken: 'not a token!' }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: 'page_token' });
  });
});
