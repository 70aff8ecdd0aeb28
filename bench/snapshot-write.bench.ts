/**
 * Snapshot write throughput under load (issue 5): every point flips its
 * instance, so each batch commits one snapshot and one alert event per point,
 * in one LMDB transaction with the flush awaited.
 */
import { ManualClock } from '../src/core/index.js';
import { Engine } from '../src/engine.js';
import { tempDir } from '../test/support/temp-dir.js';
import { report } from './machine.js';

const series = 100_000;
const batchSize = 10_000;
const batches = 40;
const T0 = Date.UTC(2026, 0, 1);
const dir = tempDir('vigil-bench-snap-');

try {
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(T0), maxBatchPoints: batchSize });
  await engine.applyRules('rule flip { when m > 50 by (id) }');
  let written = 0;
  let ms = 0;
  for (let b = 0; b < batches; b++) {
    const base = (b * batchSize) % series;
    // Each series alternates between breaching and clearing on each visit.
    const value = Math.floor((b * batchSize) / series) % 2 === 0 ? 99 : 1;
    const points = Array.from({ length: batchSize }, (_, i) => ({ name: 'm', tags: { id: `s${base + i}` }, value, ts: T0 + b * 1000 }));
    const t0 = performance.now();
    await engine.ingest('bench', points);
    ms += performance.now() - t0;
    written += batchSize;
  }
  const events = engine.lastSeq();
  await engine.close();
  const perSec = Math.round((written / ms) * 1000);
  console.log(`${written} points, ${events} transitions, ${(ms / 1000).toFixed(2)} s of ingest (validate + evaluate + commit + flush)`);
  report({ bench: 'snapshot-write', name: 'snapshots (with one alert event each) committed per second', value: perSec, unit: '/s', detail: { batchSize, batches, transitions: events } });
} finally {
  dir.remove();
}
