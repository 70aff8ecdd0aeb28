/**
 * `vigil demo`: starts the server on its embedded defaults, feeds it a small
 * simulated fleet over the real gRPC ingest path, and prints the alert stream.
 * Event time runs faster than the wall clock (one tick = 15 s), so a `for 1m`
 * rule fires within seconds.
 */
import { rmSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { call, connect, type AlertEventMsg, type DataPointMsg, type IngestResponseMsg } from '../api/index.js';
import { createLogger } from '../telemetry/index.js';
import { formatAlertEvent } from './alerts-commands.js';
import { startServer } from './serve.js';
import { addServeFlags, configFromFlags, startupFailure, type ServeFlags } from './serve-command.js';

interface DemoFlags extends ServeFlags {
  ticks: string;
  tickMs: string;
}

const stepMs = 15_000;

/** A tiny seeded PRNG so every demo run shows the same story. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The simulated fleet at one tick: who is slow, whose CPU is hot. */
export function simulate(tick: number, ts: number, rand: () => number): DataPointMsg[] {
  const points: DataPointMsg[] = [];
  for (const agent of ['a1', 'a2', 'a3']) {
    for (const target of ['t1', 't2']) {
      const spiking = agent === 'a2' && target === 't1' && tick >= 8 && tick < 20;
      points.push({ name: 'ping_ms', tags: { agent, target }, value: Math.round(spiking ? 600 + rand() * 300 : 20 + rand() * 60), tsMs: ts });
    }
  }
  for (const [cluster, nodes] of [['c1', ['n1', 'n2', 'n3']], ['c2', ['n1', 'n2']]] as const) {
    for (const node of nodes) {
      // c1/n2 stays hot for 3 minutes (fires after `for 1m`); c2/n1 only for 30 s (pending, never fires).
      const hot = (cluster === 'c1' && node === 'n2' && tick >= 14 && tick < 26) || (cluster === 'c2' && node === 'n1' && tick >= 30 && tick < 32);
      points.push({ name: 'cpu_percent', tags: { cluster, node }, value: Math.round(hot ? 92 + rand() * 7 : 35 + rand() * 25), tsMs: ts });
    }
  }
  return points;
}

export function registerDemo(program: Command): void {
  addServeFlags(program.command('demo').description('run the server with a built-in simulator and print alerts as they fire and clear'))
    .option('--ticks <n>', 'how many simulated steps to run', '40')
    .option('--tick-ms <ms>', 'wall-clock time between steps', '250')
    .action(async (o: DemoFlags) => {
      let server;
      let config;
      try {
        config = configFromFlags({ ...o, dataDir: o.dataDir ?? './data/demo' });
        // The demo always starts from a clean slate so its story is the same every run.
        rmSync(config.dataDir, { recursive: true, force: true });
        server = await startServer(config, createLogger({ level: 'warn' }));
      } catch (e) {
        startupFailure(e);
      }
      const tty = process.stdout.isTTY === true;
      const out = (s: string): boolean => process.stdout.write(`${s}\n`);
      out(`Vigil demo — gRPC ${server.address}, metrics ${server.metricsUrl ?? 'off'}, data ${config.dataDir}`);
      out(`Rules from ${config.rules.dir}: ${server.engine.listRules().map((r) => r.name).join(', ')}`);
      out('Simulating 3 ping agents × 2 targets and CPU of clusters c1, c2; one tick = 15 s of event time.\n');

      const clients = connect(server.address);
      const stream = (clients.alerts as unknown as { streamAlerts(req: object): grpc.ClientReadableStream<AlertEventMsg> }).streamAlerts({ afterSequence: 0, tail: false, rules: [] });
      const seen: Record<string, number> = {};
      stream.on('data', (e: AlertEventMsg) => {
        seen[e.toState] = (seen[e.toState] ?? 0) + 1;
        out(formatAlertEvent(e, tty));
      });
      stream.on('error', () => undefined);

      const rand = prng(7);
      const start = Math.floor(Date.now() / stepMs) * stepMs;
      const ticks = Number(o.ticks);
      let rejected = 0;
      for (let tick = 0; tick < ticks; tick++) {
        const res = await call<IngestResponseMsg>(clients.ingest, 'ingestBatch', { batchId: tick, points: simulate(tick, start + tick * stepMs, rand) });
        rejected += res.rejected.length;
        await new Promise((r) => setTimeout(r, Number(o.tickMs)));
      }
      stream.cancel();
      clients.close();
      out(`\nDone: ${ticks} steps of ${stepMs / 1000} s; transitions ${JSON.stringify(seen)}; ${rejected} points rejected.`);
      out('Keep a server running with `npm run serve` and try `node bin/vigil.js rules ls` or `node bin/vigil.js alerts watch`.');
      await server.close();
    });
}
