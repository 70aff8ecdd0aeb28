/**
 * `vigil demo`: the whole product in one terminal. It starts the server on its
 * embedded defaults with two webhook receivers (one up, one dead), feeds a
 * simulated fleet through the real gRPC ingest path, and prints for every
 * alert transition what people were told, what was held back and why. Event
 * time is fixed and runs faster than the wall clock (one step = 30 s), so the
 * story is the same on every run; only the delivery figures at the end depend
 * on the wall clock.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { call, connect, type DataPointMsg, type EventMsg, type IngestResponseMsg } from '../api/index.js';
import type { AlertEvent } from '../core/index.js';
import type { CorrelatedEvent, IncidentChange, NoticeEvent } from '../correlate/index.js';
import { describeSuppression } from '../correlate/index.js';
import type { ReceiverStats } from '../deliver/index.js';
import { createLogger } from '../telemetry/index.js';
import { formatLabels } from './output.js';
import { startServer, type RunningServer } from './serve.js';
import { addServeFlags, configFromFlags, startupFailure, type ServeFlags } from './serve-command.js';

interface DemoFlags extends ServeFlags {
  ticks: string;
  tickMs: string;
  settleMs: string;
}

const stepMs = 30_000;
/** Event time of the first step: fixed, so every run prints the same timeline. */
export const demoStart = Date.UTC(2026, 10, 23, 7, 0, 0);

/** A tiny seeded PRNG so every demo run shows the same story. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface DemoTick {
  readonly points: DataPointMsg[];
  readonly events: EventMsg[];
  /** What the simulator does at this step, for the reader. */
  readonly story: string[];
}

const clusters = [
  ['c1', ['n1', 'n2', 'n3']],
  ['c2', ['n1', 'n2']],
  ['c3', ['n1', 'n2']],
] as const;

/** The simulated fleet at one step: pings, CPU, requests, customers' messages, queues, logs and upgrades. */
export function simulate(tick: number, rand: () => number): DemoTick {
  const ts = demoStart + tick * stepMs;
  const points: DataPointMsg[] = [];
  const events: EventMsg[] = [];
  const story: string[] = [];
  const point = (name: string, tags: Record<string, string>, value: number): number => points.push({ name, tags, value: Math.round(value), tsMs: ts });
  const event = (type: string, tags: Record<string, string>, fields: Record<string, string> = {}): number => events.push({ type, tags, fields, tsMs: ts });
  const between = (from: number, to: number): boolean => tick >= from && tick < to;

  for (const agent of ['a1', 'a2', 'a3']) {
    for (const target of ['t1', 't2']) point('ping_ms', { agent, target }, agent === 'a2' && target === 't1' && between(4, 8) ? 600 + rand() * 300 : 20 + rand() * 60);
  }
  for (const [cluster, nodes] of clusters) {
    for (const node of nodes) {
      // c1/n2 runs hot for 3 minutes; c2/n1 runs hot while c2 upgrades (its pods are rescheduled there).
      const hot = (cluster === 'c1' && node === 'n2' && between(8, 14)) || (cluster === 'c2' && node === 'n1' && between(22, 28));
      point('cpu_percent', { cluster, node }, hot ? 92 + rand() * 7 : 35 + rand() * 25);
    }
    // c2 fails most requests from its upgrade until 07:20, four minutes after the upgrade ends.
    point('rps', { cluster }, 200);
    point('errors', { cluster }, cluster === 'c2' && between(20, 40) ? 120 + rand() * 40 : 2 + rand() * 6);
  }
  for (const customer of ['acme', 'globex', 'initech']) if (customer !== 'globex' || tick < 10) point('messages_received', { customer }, 50 + rand() * 50);
  for (const queue of ['q1', 'q2']) point('queue_latency_ms', { queue }, queue === 'q1' && (between(46, 48) || between(50, 52)) ? 250 + rand() * 50 : 50 + rand() * 70);

  if (tick === 10) story.push('customer globex stops sending messages');
  if (tick === 20) {
    event('cluster.upgrade.started', { cluster: 'c2' });
    story.push('event cluster.upgrade.started {cluster=c2}: what c2 raises now is recorded, but nobody is told');
  }
  if (tick === 32) {
    event('cluster.upgrade.finished', { cluster: 'c2' });
    story.push('event cluster.upgrade.finished {cluster=c2}: alerts of c2 still true are released');
  }
  for (const [at, cluster] of [[40, 'c1'], [42, 'c3'], [43, 'c1']] as const) {
    if (tick !== at) continue;
    event('log', { cluster, signature: 'kernel-oops' }, { line: 'BUG: unable to handle kernel paging request' });
    story.push(`event log {cluster=${cluster},signature=kernel-oops}`);
  }
  if (tick === 46) story.push('queue q1 latency starts to cross 200 ms on and off');
  return { points, events, story };
}

const hhmmss = (ts: number): string => new Date(ts).toISOString().slice(11, 19);
const pad = ' '.repeat(10);

interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
}

function painter(tty: boolean): Painter {
  const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: paint('31'), green: paint('32'), yellow: paint('33'), dim: paint('2') };
}

/** What one run saw, for the summary at the end. */
interface Tally {
  readonly fired: Map<string, AlertEvent>;
  readonly suppressed: Map<string, { reason: string; subject: string }>;
  readonly released: Set<string>;
  readonly noData: AlertEvent[];
  notices: number;
  readonly incidents: Map<string, IncidentChange>;
}

/** `alert/high_cpu/cluster=c1` as `high_cpu {cluster=c1}`, like the transition lines. */
function alertText(id: string): string {
  const m = /^alert\/([^/]+)\/(.*)$/.exec(id);
  return m ? `${m[1]} {${decodeURIComponent(m[2]!)}}` : id;
}

function describeNotice(n: NoticeEvent): string {
  const why = n.cause.startsWith('release:') ? ` (released: ${n.cause.slice('release:'.length).replace(/^upgrade:cluster\//, 'the upgrade of ')} ended and it still fires)` : '';
  return `${n.to.toUpperCase()} ${alertText(n.alert)}${why}`;
}

function describeIncident(c: IncidentChange): string {
  const members = c.members.map((m) => `${m.id} ${m.state}`).join(', ');
  return `incident ${c.incident.replace(/^incident\//, '')} ${c.change}${c.member ? ` (${c.member.id} ${c.member.change})` : ''}: ${members}`;
}

/** A webhook receiver that is up: it accepts every notification. */
async function liveWebhook(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: bound once to learn a free one, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Receivers of the demo: everything to ops-webhook, critical alerts also to a pager webhook that is down. */
function demoDelivery(liveUrl: string, deadUrl: string): object {
  return {
    // Fast retries and a short max age so the dead receiver's retries and archive show within seconds.
    retry: { initialBackoffMs: 250, maxBackoffMs: 1000, backoffMultiplier: 2, jitterRatio: 0, maxAgeMs: 3000 },
    receivers: [
      { name: 'ops-webhook', type: 'webhook', url: liveUrl },
      { name: 'pager', type: 'webhook', url: deadUrl, timeoutMs: 1000 },
    ],
    route: {
      receiver: 'ops-webhook',
      groupBy: ['...'],
      groupWaitMs: 0,
      groupIntervalMs: 0,
      repeatIntervalMs: 0,
      routes: [{ matchers: ['severity="critical"'], receiver: 'pager', continue: true }, { receiver: 'ops-webhook' }],
    },
  };
}

function deliveryLine(s: ReceiverStats, p: Painter): string {
  const error = s.lastError ? `; last error: ${s.lastError.message}` : '';
  const line = `${s.receiver.padEnd(12)} sent ${s.sent} · failed attempts ${s.failedTemporary + s.failedPermanent} · retried ${s.retried} · archived ${s.archived} · still queued ${s.queued + s.waiting}${error}`;
  return s.sent === 0 && s.failedTemporary > 0 ? p.red(line) : line;
}

/** Prints each transition of a batch and what correlate made of it, as the batch commits. */
function watch(server: RunningServer, out: (s: string) => void, p: Painter, tally: Tally): () => void {
  const { engine, delivery } = server;
  const lines: string[] = [];
  // Correlate's decisions are planned before the batch commits, its transitions announced after: show transitions first.
  const told: string[] = [];
  engine.subscribe((events) => {
    for (const e of events) {
      const colour = e.to === 'firing' ? p.red : e.to === 'resolved' ? p.green : p.dim;
      const value = Number.isNaN(e.value) ? '' : ` value=${e.value}`;
      lines.push(`${hhmmss(e.ts)}  ${colour(`${e.from} → ${e.to}`.padEnd(19))}  ${e.rule} {${formatLabels(e.labels)}}${value}${e.noData ? ' (no data)' : ''}`);
      if (e.noData) tally.noData.push(e);
      if (e.to !== 'firing') continue;
      tally.fired.set(e.alert, e);
      // Read right after the commit that made it fire: exactly what correlate decided then.
      const why = engine.explain(e.alert);
      if (why.suppressedBy.length > 0) {
        const reason = why.suppressedBy.map(describeSuppression).join('; ');
        tally.suppressed.set(e.alert, { reason, subject: why.subject });
        lines.push(`${pad}${p.yellow(`⏸ suppressed: ${reason}`)}`);
      }
    }
  });
  // Correlate's decisions reach delivery through the commit hook; wrap it to show them too.
  engine.setCommitHook({
    plan: (events: readonly CorrelatedEvent[]) => {
      for (const n of events) {
        if (n.kind === 'incident') {
          tally.incidents.set(n.incident, n);
          told.push(`${pad}✉ ${describeIncident(n)}`);
        } else {
          tally.notices++;
          if (n.cause.startsWith('release:')) tally.released.add(n.alert);
          told.push(`${pad}✉ people told: ${describeNotice(n)}`);
        }
      }
      return delivery.plan(events);
    },
    committed: () => delivery.wake(),
  });
  return () => {
    for (const l of [...lines.splice(0), ...told.splice(0)]) out(l);
  };
}

function summary(server: RunningServer, tally: Tally, p: Painter): string[] {
  const out: string[] = [];
  const byRule = new Map<string, number>();
  for (const e of tally.fired.values()) byRule.set(e.rule, (byRule.get(e.rule) ?? 0) + 1);
  out.push(`  fired       ${tally.fired.size} alert instance(s): ${[...byRule].map(([r, n]) => `${r} ×${n}`).join(', ')}`);
  out.push(`  told        ${tally.notices} alert notification(s) and ${[...tally.incidents.values()].length} incident(s), to the receivers below`);
  for (const [alert, s] of tally.suppressed) {
    const fate = tally.released.has(s.subject) ? 'released and notified when the upgrade ended' : 'cleared while held: never notified';
    out.push(`  ${p.yellow('suppressed')}  ${alertText(alert)}: ${s.reason} → ${fate}`);
  }
  for (const e of tally.fired.values()) {
    const rec = server.engine.store.actors.get(e.alert) as { snapshot?: { state?: string; context?: { hold?: string | null; deadline?: number | null } } } | undefined;
    const ctx = rec?.snapshot?.context;
    if (rec?.snapshot?.state !== 'firing' || ctx?.hold !== 'flap') continue;
    const until = ctx.deadline ? `; resolves at ${hhmmss(ctx.deadline)} unless it crosses again` : '';
    out.push(`  flapping    ${alertText(e.alert)}: fired and resolved too often within 10m, so it is held firing (no more notifications)${until}`);
  }
  for (const e of tally.noData) out.push(`  no data     ${alertText(e.alert)}: nothing arrived for 10m → ${e.to} at ${hhmmss(e.ts)}`);
  for (const c of tally.incidents.values()) out.push(`  incident    ${describeIncident(c)} (one ticket, updated as clusters join)`);
  return out;
}

export function registerDemo(program: Command): void {
  addServeFlags(program.command('demo').description('run the server with a simulated fleet and show what fired, what was suppressed and why'))
    .option('--ticks <n>', 'how many simulated steps of 30 s to run', '60')
    .option('--tick-ms <ms>', 'wall-clock time between steps', '150')
    .option('--settle-ms <ms>', 'wall-clock time left to deliveries after the last step', '2000')
    .action(async (o: DemoFlags) => {
      const live = await liveWebhook();
      const deadUrl = `http://127.0.0.1:${await deadPort()}/alerts`;
      let server: RunningServer;
      let config;
      try {
        const loaded = configFromFlags({ ...o, dataDir: o.dataDir ?? './data/demo' });
        config = { ...loaded, delivery: loaded.delivery ?? demoDelivery(live.url, deadUrl) };
        // The demo always starts from a clean slate so its story is the same every run.
        rmSync(config.dataDir, { recursive: true, force: true });
        server = await startServer(config, createLogger({ level: 'error' }));
      } catch (e) {
        await live.close();
        startupFailure(e);
      }
      const p = painter(process.stdout.isTTY === true);
      const out = (s: string): boolean => process.stdout.write(`${s}\n`);
      const ticks = Number(o.ticks);
      out(`Vigil demo — gRPC ${server.address}, metrics ${server.metricsUrl ?? 'off'}, data ${config.dataDir}`);
      out(`Rules from ${config.rules.dir}: ${server.engine.listRules().map((r) => r.name).join(', ')}`);
      out(`Receivers: ops-webhook (up) gets everything; pager (${deadUrl}, nothing listens: a dead receiver) gets critical alerts too.`);
      out(`Fleet: clusters c1-c3, 3 ping agents, customers acme, globex, initech, queues q1, q2; ${ticks} steps of 30 s from ${new Date(demoStart).toISOString()}, sent over gRPC IngestBatch.\n`);

      const tally: Tally = { fired: new Map(), suppressed: new Map(), released: new Set(), noData: [], notices: 0, incidents: new Map() };
      const print = watch(server, out, p, tally);
      const clients = connect(server.address);
      const rand = prng(7);
      let rejected = 0;
      try {
        for (let tick = 0; tick < ticks; tick++) {
          const { points, events, story } = simulate(tick, rand);
          for (const s of story) out(`${hhmmss(demoStart + tick * stepMs)}  ${p.dim('▶')} ${s}`);
          const res = await call<IngestResponseMsg>(clients.ingest, 'ingestBatch', { batchId: tick, points, events });
          rejected += res.rejected.length;
          print();
          await new Promise((r) => setTimeout(r, Number(o.tickMs)));
        }
        out(`\nWhat happened, ${hhmmss(demoStart)} → ${hhmmss(demoStart + (ticks - 1) * stepMs)} event time (${ticks} steps, ${rejected} points rejected):`);
        for (const l of summary(server, tally, p)) out(l);
        await new Promise((r) => setTimeout(r, Number(o.settleMs)));
        out(`Deliveries after ${Math.round((ticks * Number(o.tickMs) + Number(o.settleMs)) / 1000)} s of wall clock (retries back off; what stays undeliverable for 3 s is archived):`);
        for (const s of server.delivery.stats()) out(`  ${deliveryLine(s, p)}`);
        out(`  (ops-webhook's server received ${live.received()} request(s))`);
        out('\nNext: `npm run serve`, then `node bin/vigil.js alerts watch`, `node bin/vigil.js actors ls`, `node bin/vigil.js deliveries ls --archived`;');
        out('back-test a rule offline with `node bin/vigil.js replay --rules FILE --data FILE.ndjson`.');
      } finally {
        clients.close();
        await server.close();
        await live.close();
      }
    });
}
