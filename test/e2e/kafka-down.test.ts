/** With KAFKA_BROKERS set and no broker reachable, Vigil still serves its API and stops cleanly. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect } from '../../src/api/index.js';
import { startServer, type RunningServer } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/telemetry/index.js';
import { tempDir } from '../support/temp-dir.js';

describe('vigil serve with an unreachable Kafka', () => {
  const dir = tempDir();
  let server: RunningServer | undefined;
  const saved = process.env.KAFKA_BROKERS;
  afterEach(async () => {
    await server?.close();
    if (saved === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = saved;
    dir.remove();
  });

  it('keeps serving gRPC while the source reconnects in the background', async () => {
    process.env.KAFKA_BROKERS = '127.0.0.1:1';
    server = await startServer(
      loadConfig({ env: {}, overrides: { dataDir: join(dir.path, 'data'), 'grpc.listen': '127.0.0.1:0', 'metrics.listen': '', 'rules.dir': '' } }),
      silentLogger,
    );
    const clients = connect(server.address);
    const applied = await call<{ rules: Array<{ change: string }> }>(clients.rules, 'applyRules', { source: 'rule r { when x > 1 }' });
    expect(applied.rules[0]!.change).toBe('created');
    clients.close();
  });
});
