/** A real gRPC server on an ephemeral port around a real engine on a temp dir, in the test process. */
import { startGrpcServer, type RunningGrpcServer } from '../../src/api/index.js';
import { ManualClock } from '../../src/core/index.js';
import { Engine, type EngineOptions } from '../../src/engine.js';
import { silentLogger } from '../../src/telemetry/index.js';
import { connect, type VigilClients } from './grpc-client.js';
import { tempDir } from './temp-dir.js';

export interface TestServer {
  readonly engine: Engine;
  readonly grpc: RunningGrpcServer;
  readonly clients: VigilClients;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<EngineOptions> = {}): Promise<TestServer> {
  const dir = tempDir();
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(Date.UTC(2026, 0, 1)), ...options });
  const grpc = await startGrpcServer(engine, silentLogger, { listen: '127.0.0.1:0', dataDir: dir.path });
  const clients = connect(grpc.address);
  return {
    engine,
    grpc,
    clients,
    dataDir: dir.path,
    stop: async () => {
      clients.close();
      await grpc.close();
      await engine.close();
      dir.remove();
    },
  };
}
