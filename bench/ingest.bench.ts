/**
 * gRPC ingest end to end (issue 10): a real server and a client in one
 * process; the client keeps a fixed number of IngestBatch calls of 1,000
 * points in flight, as fast as the server acknowledges them (each ack comes
 * after the batch's flushed LMDB commit), with 10,000 point rules loaded.
 * Reports acknowledged points/s. The client's encoding shares the CPU.
 */
import { startGrpcServer, type DataPointMsg } from '../src/api/index.js';
import { systemClock } from '../src/core/index.js';
import { Engine } from '../src/engine.js';
import { silentLogger } from '../src/telemetry/index.js';
import { connect } from '../test/support/grpc-client.js';
import { tempDir } from '../test/support/temp-dir.js';
import { report } from './machine.js';

const BATCH = 1_000;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SERIES = 100_000;

const dir = tempDir('vigil-bench-ingest-');
const engine = Engine.open({ dataDir: dir.path, clock: systemClock });
await engine.applyRules(Array.from({ length: 10_000 }, (_, i) => `rule r${i} { when cpu{sel="s${i}"} > 90 by (host) }`).join('\n'));
const server = await startGrpcServer(engine, silentLogger, { listen: '127.0.0.1:0', dataDir: dir.path });
const clients = connect(server.address);
const ingest = (points: DataPointMsg[]): Promise<unknown> =>
  new Promise((resolve, reject) => (clients.ingest as unknown as { ingestBatch(r: object, cb: (e: Error | null, r: unknown) => void): void }).ingestBatch({ points }, (e, r) => (e ? reject(e) : resolve(r))));

let next = 0;
let acked = 0;
const start = Date.now();
const t0 = Date.UTC(2026, 0, 1);
function batch(): DataPointMsg[] {
  const b = next++;
  const points: DataPointMsg[] = [];
  for (let i = 0; i < BATCH; i++) {
    const j = (b * BATCH + i) % SERIES;
    points.push({ name: 'cpu', tags: { sel: `s${j % 10_000}`, host: `h${j}` }, value: j % 97 === 0 ? 95 : 40, tsMs: t0 + b * 10 });
  }
  return points;
}
// Batches carry increasing event times; calls in flight may be answered out of order, but the engine's queue keeps arrival order.
async function worker(): Promise<void> {
  while (Date.now() - start < SECONDS * 1000) {
    await ingest(batch());
    acked += BATCH;
  }
}
const warm = Date.now();
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
const rate = Math.round(acked / ((Date.now() - warm) / 1000));
process.stdout.write(`${acked.toLocaleString('en')} points acknowledged in ${SECONDS} s with ${IN_FLIGHT} calls in flight: ${rate.toLocaleString('en')} points/s\n`);
report({ bench: 'ingest', name: `gRPC IngestBatch end to end (1,000-point batches, ${IN_FLIGHT} in flight, 10,000 rules, flushed commit per batch)`, value: rate, unit: 'points/s' });
clients.close();
await server.close();
await engine.close();
dir.remove();
