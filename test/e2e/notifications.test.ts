/** A transition committed by the engine reaches a real webhook receiver through the durable outbox. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, connect } from '../../src/api/index.js';
import { startServer, type RunningServer } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/telemetry/index.js';
import { point, T0 } from '../support/grpc-client.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli } from '../support/vigil-process.js';

interface Received {
  key: string | undefined;
  body: { status: string; alerts: Array<{ status: string; labels: Record<string, string> }> };
}

describe('notifications from the engine', () => {
  let dir: ReturnType<typeof tempDir>;
  let hook: Server;
  let server: RunningServer | undefined;
  const received: Received[] = [];

  beforeEach(async () => {
    dir = tempDir();
    received.length = 0;
    hook = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) as Received['body'] });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await server?.close();
    await new Promise((r) => hook.close(r));
    dir.remove();
  });

  it('delivers firing and resolved once each to the configured webhook, with idempotency keys', async () => {
    const port = (hook.address() as { port: number }).port;
    const file = join(dir.path, 'vigil.yaml');
    writeFileSync(
      file,
      [
        `dataDir: ${join(dir.path, 'data')}`,
        'grpc: { listen: "127.0.0.1:0" }',
        'metrics: { listen: "" }',
        'rules: { dir: "" }',
        'delivery:',
        '  receivers:',
        `    - { name: hook, type: webhook, url: "http://127.0.0.1:${port}/alerts" }`,
        '  route: { receiver: hook, groupBy: [alertname], groupWaitMs: 0, groupIntervalMs: 0, sendResolved: true }',
        '',
      ].join('\n'),
    );
    server = await startServer(loadConfig({ file, env: {} }), silentLogger);
    const clients = connect(server.address);
    await call(clients.rules, 'applyRules', { source: 'rule hot { when temp > 30 by (room) }' });
    await call(clients.ingest, 'ingestBatch', { batchId: 1, points: [point('temp', { room: 'r1' }, 35, T0)] });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    await call(clients.ingest, 'ingestBatch', { batchId: 2, points: [point('temp', { room: 'r1' }, 20, T0 + 1000)] });
    await vi.waitFor(() => expect(received).toHaveLength(2), { timeout: 10_000 });
    await vi.waitFor(async () => {
      const stats = await call<{ receivers: Array<{ receiver: string; sent: number }> }>(clients.admin, 'getDeliveryStats', {});
      expect(stats.receivers).toMatchObject([{ receiver: 'hook', sent: 2 }]);
    });
    const cli = await runCli(['--server', server.address, '--json', 'deliveries', 'ls', '--archived']);
    expect(JSON.parse(cli.stdout)).toEqual([]);
    clients.close();
    expect(received.map((r) => r.body.alerts.map((a) => `${a.status} ${a.labels.room}`))).toEqual([['firing r1'], ['resolved r1']]);
    expect(received.every((r) => typeof r.key === 'string' && r.key.length > 0)).toBe(true);
    expect(new Set(received.map((r) => r.key)).size).toBe(2);
  });
});
