/**
 * Restart time to serving with 1,000,000 persisted alert instances (issue 5,
 * target ≤ 2 s). Instances load lazily, so start-up reads only rules, the
 * evaluator clock and the armed deadlines; the first batch pays for the
 * instances it touches, measured separately.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startGrpcServer } from '../src/api/index.js';
import { ManualClock } from '../src/core/index.js';
import { Engine } from '../src/engine.js';
import { initialAlertSnapshot, stepAlert } from '../actors/index.js';
import { ALERT_RECORD_VERSION, Store, type AlertRecord } from '../src/store/index.js';
import { silentLogger } from '../src/telemetry/index.js';
import { tempDir } from '../test/support/temp-dir.js';
import { report } from './machine.js';

const instances = Number(process.env.BENCH_INSTANCES ?? 1_000_000);
const pending = 10_000;
const T0 = Date.UTC(2026, 0, 1);
const dir = tempDir('vigil-bench-restart-');
const root = join(import.meta.dirname, '..');

async function populate(): Promise<void> {
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(T0) });
  await engine.applyRules('rule hot { when cpu > 90 by (cluster, node) for 5m }');
  await engine.close();
  const store = Store.open({ dataDir: dir.path });
  const firing = stepAlert(stepAlert(initialAlertSnapshot(300_000), { type: 'condition.true', ts: T0, value: 95 }), { type: 'deadline', ts: T0 + 300_000 });
  const waiting = stepAlert(initialAlertSnapshot(300_000), { type: 'condition.true', ts: T0, value: 95 });
  const chunk = 50_000;
  for (let start = 0; start < instances; start += chunk) {
    const actors = new Map<string, AlertRecord>();
    const deadlinesAdded: Array<[number, string]> = [];
    for (let i = start; i < Math.min(instances, start + chunk); i++) {
      const cluster = `c${i % 1000}`;
      const node = `n${Math.floor(i / 1000)}`;
      const id = `alert/hot/cluster=${cluster},node=${node}`;
      const isPending = i < pending;
      actors.set(id, {
        kind: 'alert',
        v: ALERT_RECORD_VERSION,
        id,
        rule: 'hot',
        labels: { cluster, node },
        snapshot: isPending ? waiting : firing,
        condition: true,
        transitions: isPending ? 1 : 2,
        lastSeen: T0,
        history: [{ from: 'inactive', to: 'pending', ts: T0, value: 95, cause: 'cpu > 90 is true (value 95)' }],
      });
      if (isPending) deadlinesAdded.push([T0 + 300_000, id]);
    }
    await store.commit({ actors, events: [], deadlinesAdded, deadlinesRemoved: [], meta: new Map([['evaluator', { maxTs: T0, watermark: T0, nextSeq: 1 }]]) });
  }
  await store.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function inProcessOpen(): Promise<{ openMs: number; firstBatchMs: number }> {
  const t0 = performance.now();
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(T0) });
  const server = await startGrpcServer(engine, silentLogger, { listen: '127.0.0.1:0' });
  const openMs = performance.now() - t0;
  // The first batch touches 10,000 instances that are not in memory yet.
  const points = Array.from({ length: 10_000 }, (_, i) => ({ name: 'cpu', tags: { cluster: `c${i % 1000}`, node: `n${500 + Math.floor(i / 1000)}` }, value: 50, ts: T0 + 1000 }));
  const t1 = performance.now();
  await engine.ingest('bench', points);
  const firstBatchMs = performance.now() - t1;
  await server.close();
  await engine.close();
  return { openMs, firstBatchMs };
}

/** A real restart: a new `vigil serve` process until it logs that it serves (compiled build). */
async function processRestart(): Promise<number | undefined> {
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) return undefined;
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, 'serve', '--data-dir', dir.path, '--listen', '127.0.0.1:0', '--metrics-listen', '', '--rules-dir', ''], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('"vigil serving"')) resolve();
    });
  });
  const ms = performance.now() - t0;
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  return ms;
}

try {
  const p0 = performance.now();
  await populate();
  console.log(`populated ${instances} instances (${pending} pending) in ${((performance.now() - p0) / 1000).toFixed(1)} s`);
  const opens: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await inProcessOpen();
    opens.push(r.openMs);
    firsts.push(r.firstBatchMs);
  }
  const procs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ms = await processRestart();
    if (ms !== undefined) procs.push(ms);
  }
  const open = median(opens);
  console.log(`engine open + gRPC bind: ${opens.map((x) => x.toFixed(0)).join(', ')} ms; first batch touching 10,000 cold instances: ${firsts.map((x) => x.toFixed(0)).join(', ')} ms`);
  report({ bench: 'restart', name: `engine open + gRPC serving, ${instances} persisted instances`, value: Math.round(open), unit: 'ms', target: '≤ 2000 ms', met: open <= 2000 });
  if (procs.length > 0) {
    const proc = median(procs);
    console.log(`process start to serving (node dist/…/main.js serve): ${procs.map((x) => x.toFixed(0)).join(', ')} ms`);
    report({ bench: 'restart', name: `process start to serving, ${instances} persisted instances`, value: Math.round(proc), unit: 'ms', target: '≤ 2000 ms', met: proc <= 2000 });
  } else console.log('dist/ not built: skipping the process restart figure (npm run build)');
  report({ bench: 'restart', name: 'first batch after restart, 10,000 cold instances loaded lazily', value: Math.round(median(firsts)), unit: 'ms' });
} finally {
  dir.remove();
}
