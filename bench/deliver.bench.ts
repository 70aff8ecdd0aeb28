/**
 * Delivery throughput end to end: notifications planned into the outbox (in
 * batch commits, as the engine does), then the dispatcher started and timed
 * until a real HTTP webhook receiver in another process has acknowledged
 * every one. Two shapes: one notification per message (one group per alert,
 * like PagerDuty), and grouped messages (100 groups, the Alertmanager way).
 * BENCH_NOTIFICATIONS sets the size (default 20,000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { systemClock, type AlertEvent } from '../src/core/index.js';
import { createDelivery, parseDeliveryConfig } from '../src/deliver/index.js';
import { Store } from '../src/store/index.js';
import { tempDir } from '../test/support/temp-dir.js';
import { describeMachine, report } from './machine.js';

const total = Number(process.env.BENCH_NOTIFICATIONS ?? 20_000);
const commitSize = 1000;
const T0 = Date.UTC(2026, 0, 1);

/** A webhook consumer in its own process (so it does not share Vigil's event loop): answers 200 and counts alerts. */
const receiverSource = `
const http = require('node:http');
let alerts = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    alerts += JSON.parse(Buffer.concat(chunks).toString()).alerts.length;
    res.writeHead(200).end('ok');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
setInterval(() => console.log('alerts ' + alerts), 1000).unref();
process.on('message', () => process.send(alerts));
`;

async function startReceiver(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', receiverSource], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('port ')) resolve(l.slice(5));
    });
  });
  return { url: `http://127.0.0.1:${port}/hook`, child };
}

function event(i: number): AlertEvent {
  const cluster = `c${i % 100}`;
  const node = `n${Math.floor(i / 100)}`;
  const alert = `alert/cpu/cluster=${cluster},node=${node}`;
  return { seq: i + 1, id: `${alert}#2`, rule: 'cpu', alert, labels: { cluster, node }, from: 'pending', to: 'firing', ts: T0, value: 97, severity: 'critical', annotations: { summary: `CPU high on ${node}` } };
}

interface Run {
  readonly seconds: number;
  readonly messages: number;
}

async function run(shape: 'one per message' | 'grouped', url: string, maxConcurrent: number): Promise<Run> {
  const dir = tempDir('vigil-bench-deliver-');
  const store = Store.open({ dataDir: dir.path });
  const config = parseDeliveryConfig(
    {
      receivers: [{ name: 'hook', type: 'webhook', url, maxConcurrent }],
      route: { receiver: 'hook', groupBy: shape === 'grouped' ? ['cluster'] : ['cluster', 'node'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0 },
      maxOutboxEntries: total + 1,
    },
    {},
  );
  try {
    const delivery = createDelivery({ store, config, clock: systemClock });
    for (let start = 0; start < total; start += commitSize) {
      const events = Array.from({ length: Math.min(commitSize, total - start) }, (_, k) => event(start + k));
      await store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), writes: delivery.plan(events) });
      delivery.wake();
    }
    const t0 = performance.now();
    delivery.start();
    for (;;) {
      const s = delivery.stats()[0]!;
      if (s.waiting === 0 && s.queued === 0 && s.inFlight === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - t0) / 1000;
    const messages = delivery.stats()[0]!.sent;
    await delivery.stop();
    return { seconds, messages };
  } finally {
    await store.close();
    dir.remove();
  }
}

const receiver = await startReceiver();
try {
  console.log(`machine: ${describeMachine()}; ${total} notifications per run, receiver in its own process`);
  for (const [shape, maxConcurrent] of [
    ['one per message', 2],
    ['one per message', 16],
    ['grouped', 2],
  ] as const) {
    const r = await run(shape, receiver.url, maxConcurrent);
    const rate = Math.round(total / r.seconds);
    console.log(`${shape}, maxConcurrent ${maxConcurrent}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${rate} notifications/s`);
    report({ bench: 'deliver', name: `outbox to acknowledged, webhook, ${shape}, maxConcurrent ${maxConcurrent}`, value: rate, unit: 'notifications/s', detail: { notifications: total, messages: r.messages, seconds: r.seconds } });
  }
  const acknowledged = await new Promise<number>((resolve) => {
    receiver.child.once('message', (n) => resolve(Number(n)));
    receiver.child.send('count');
  });
  console.log(`receiver acknowledged ${acknowledged} alerts in all (grouped messages repeat what still fires)`);
} finally {
  receiver.child.kill();
}
