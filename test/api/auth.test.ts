import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, decodeStatusDetails, methodRoles, type VigilClients } from '../../src/api/index.js';
import { packageDefinition } from '../../src/api/proto.js';
import { AlertCollector, point, T0 } from '../support/grpc-client.js';
import { healthCheck, reflectServices } from './support/generic-clients.js';
import { failure } from './support/failure.js';
import { grants, startApiServer, tokens, type ApiTestServer } from './support/server.js';

const rule = 'rule hot { when cpu > 90 by (node) }';

describe('token authentication and roles', () => {
  let s: ApiTestServer;
  const clients: Record<string, VigilClients> = {};
  beforeAll(async () => {
    s = await startApiServer({ security: { tokens: grants } });
    clients.none = connect(s.address);
    clients.bad = connect(s.address, { token: 'not-a-token-this-server-knows' });
    for (const [role, token] of Object.entries(tokens)) clients[role] = connect(s.address, { token });
  });
  afterAll(async () => {
    Object.values(clients).forEach((c) => c.close());
    await s.stop();
  });

  it('refuses a call without a token as UNAUTHENTICATED with ErrorInfo', async () => {
    expect(await failure(call(clients.none!.rules, 'listRules', {}))).toEqual({
      code: grpc.status.UNAUTHENTICATED,
      reason: 'UNAUTHENTICATED',
      info: { reason: 'missing', method: 'vigil.v1.RuleService/ListRules' },
    });
  });

  it('refuses an unknown token and a malformed authorization header', async () => {
    expect(await failure(call(clients.bad!.admin, 'getServerInfo', {}))).toMatchObject({ code: grpc.status.UNAUTHENTICATED, info: { reason: 'unknown' } });
    const md = new grpc.Metadata();
    md.set('authorization', `Basic ${tokens.admin}`);
    const basic = new Promise((resolve, reject) =>
      (clients.none!.rules as unknown as { listRules(r: object, m: grpc.Metadata, cb: (e: Error | null, r: unknown) => void): void }).listRules({}, md, (e, r) => (e ? reject(e) : resolve(r))),
    );
    expect(await failure(basic)).toMatchObject({ code: grpc.status.UNAUTHENTICATED, info: { reason: 'malformed' } });
  });

  it('lets read list, get, inspect, validate and stream, and nothing that changes state', async () => {
    const read = clients.read!;
    await expect(call(read.rules, 'listRules', {})).resolves.toMatchObject({ rules: [] });
    await expect(call(read.rules, 'validateRules', { source: rule })).resolves.toMatchObject({ valid: true });
    await expect(call(read.admin, 'getServerInfo', {})).resolves.toMatchObject({ lastSequence: 0 });
    await expect(call(read.admin, 'listActors', {})).resolves.toMatchObject({ actors: [] });
    expect(await failure(call(read.rules, 'applyRules', { source: rule }))).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      reason: 'PERMISSION_DENIED',
      info: { principal: 'read-user', role: 'read', required_role: 'write', method: 'vigil.v1.RuleService/ApplyRules' },
    });
    expect(await failure(call(read.ingest, 'ingestBatch', { batchId: 1, points: [] }))).toMatchObject({ code: grpc.status.PERMISSION_DENIED, info: { required_role: 'write' } });
    expect(await failure(call(read.admin, 'listDeadLetters', {}))).toMatchObject({ code: grpc.status.PERMISSION_DENIED, info: { required_role: 'admin' } });
  });

  it('lets write change rules and ingest, but not see deliveries or dead letters', async () => {
    const write = clients.write!;
    await expect(call(write.rules, 'applyRules', { source: rule })).resolves.toMatchObject({ rules: [{ name: 'hot', change: 'created' }] });
    const stream = new AlertCollector(clients.read!, { afterSequence: 0 });
    await expect(call(write.ingest, 'ingestBatch', { batchId: 1, points: [point('cpu', { node: 'n1' }, 95, T0)] })).resolves.toMatchObject({ accepted: 1 });
    expect((await stream.waitFor(1)).map((e) => e.toState)).toEqual(['firing']);
    stream.cancel();
    await expect(call(write.rules, 'listRules', {})).resolves.toMatchObject({ rules: [{ name: 'hot' }] });
    expect(await failure(call(write.admin, 'listDeadLetters', {}))).toMatchObject({ code: grpc.status.PERMISSION_DENIED, info: { role: 'write', required_role: 'admin' } });
    await expect(call(write.rules, 'deleteRule', { name: 'hot' })).resolves.toEqual({});
  });

  it('lets admin call everything', async () => {
    const admin = clients.admin!;
    await expect(call(admin.admin, 'listDeadLetters', {})).resolves.toEqual({ deadLetters: [] });
    await expect(call(admin.rules, 'applyRules', { source: 'rule cold { when cpu < 1 }' })).resolves.toMatchObject({ rules: [{ name: 'cold' }] });
    await expect(call(admin.rules, 'deleteRule', { name: 'cold' })).resolves.toEqual({});
  });

  it('refuses streams before they start: StreamAlerts without a token, Ingest with a read token', async () => {
    const anon = new AlertCollector(clients.none!);
    await expect(anon.waitFor(1)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const ingest = (clients.read!.ingest as unknown as { ingest(): grpc.ClientDuplexStream<object, unknown> }).ingest();
    const err = await new Promise<grpc.ServiceError>((resolve) => ingest.on('error', resolve));
    expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(decodeStatusDetails(err).info.required_role).toBe('write');
  });

  it('keeps health checking and reflection open, so probes and grpcurl work without a token', async () => {
    await expect(healthCheck(s.address)).resolves.toBe('SERVING');
    await expect(reflectServices(s.address)).resolves.toEqual(expect.arrayContaining(['vigil.v1.RuleService', 'vigil.v1.AlertService']));
  });

  it('gives every RPC of every Vigil service an explicit role', () => {
    const methods = Object.entries(packageDefinition)
      .filter(([name, def]) => name.startsWith('vigil.v1.') && !('format' in def))
      .flatMap(([service, def]) => Object.keys(def).map((m) => `${service}/${m}`));
    expect(methods.length).toBeGreaterThan(10);
    expect(methods.filter((m) => !(m in methodRoles))).toEqual([]);
  });
});
