/** S6: nothing committed is lost across a restart, and the receiver sees each notification once thanks to its idempotency key. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/vigil-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { alertEvent, deadUrl, harness, startServer, type Harness, type RecordedRequest, type RecordingServer, type Responder } from '../support.js';

/** A consumer that, like any careful webhook consumer, processes each Idempotency-Key once. */
function dedupingConsumer(processed: string[]): Responder {
  const seen = new Set<string>();
  return (req, res) => {
    const key = String(req.headers['idempotency-key']);
    if (!seen.has(key)) {
      seen.add(key);
      processed.push(key);
    }
    res.writeHead(200).end();
  };
}

const keysOf = (requests: RecordedRequest[]): string[] => requests.map((r) => String(r.headers['idempotency-key']));

describe('S6 restart with undelivered notifications', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('delivers after a restart what a stopped dispatcher left in the outbox', async () => {
    const down = await deadUrl();
    const dir = tempDir('vigil-deliver-');
    cleanups.push(() => dir.remove());
    const config = (url: string) => ({ receivers: [{ name: 'hook', type: 'webhook', url }], route: { receiver: 'hook', groupBy: ['cluster'], groupWaitMs: 30_000 } });
    const first = await harness({ delivery: config(down), dataDir: dir });
    await first.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', 1000, 2)]);
    await first.commit([alertEvent('cpu', { cluster: 'c2' }, 'pending', 'firing', 1000, 2)]);
    await first.advance(30_000); // c1's and c2's groups flush; the receiver is down
    await first.commit([alertEvent('cpu', { cluster: 'c3' }, 'pending', 'firing', 1000, 2)]); // still waiting for its group
    expect(first.delivery.list().map((d) => [d.id, d.state])).toEqual([
      ['hook:alert/cpu/cluster=c1#2', 'queued'],
      ['hook:alert/cpu/cluster=c2#2', 'queued'],
      ['hook:alert/cpu/cluster=c3#2', 'waiting'],
    ]);
    await first.close();

    const server = await startServer();
    cleanups.push(() => server.close());
    const second = await harness({ delivery: config(server.url), dataDir: dir, startAt: first.clock.now() });
    cleanups.push(() => second.close());
    await second.advance(30_000);
    expect(keysOf(server.requests).sort()).toEqual(['alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c2#2', 'alert/cpu/cluster=c3#2']);
    await second.advance(3_600_000);
    expect(server.requests).toHaveLength(3);
  });

  it('after kill -9 in the middle of sending, resends with the same key and the receiver processes each once', async () => {
    const processed: string[] = [];
    const consumer = dedupingConsumer(processed);
    const hung: RecordedRequest[] = [];
    // The first process's requests reach the consumer, which processes them, but it never hears back.
    const server: RecordingServer = await startServer((req) => {
      consumer(req, { writeHead: () => ({ end: () => undefined }) } as never);
      hung.push(req);
    });
    cleanups.push(() => server.close());
    const dir = tempDir('vigil-deliver-');
    cleanups.push(() => dir.remove());

    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/deliver/fixtures/dispatch-child.ts'), dir.path, server.url, '3'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout! });
    await once(lines, 'line');
    // Real time here: a separate process is sending. Bounded, so a bug fails instead of hanging.
    for (let i = 0; i < 1000 && hung.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(hung).toHaveLength(3);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(processed).toHaveLength(3);

    const seenAfterRestart: string[] = [];
    server.respond((req, res) => {
      seenAfterRestart.push(String(req.headers['idempotency-key']));
      consumer(req, res);
    });
    // The killed process stamped its records with the real clock; the restarted one continues from there.
    const h: Harness = await harness({ delivery: { receivers: [{ name: 'hook', type: 'webhook', url: server.url }], route: { receiver: 'hook', groupBy: ['cluster'], groupWaitMs: 0 } }, dataDir: dir, startAt: Date.now() + 1000 });
    cleanups.push(() => h.close());
    await h.advance(60_000);
    // Every committed notification went out again with its original key ...
    expect(seenAfterRestart.sort()).toEqual(['alert/cpu/cluster=c0#2', 'alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c2#2']);
    // ... and the consumer processed each exactly once.
    expect(processed.sort()).toEqual(['alert/cpu/cluster=c0#2', 'alert/cpu/cluster=c1#2', 'alert/cpu/cluster=c2#2']);
    expect(h.delivery.list()).toEqual([]);
  });
});
