/** Test support for the deliver stage: a real local HTTP server that records requests, and a harness on a temp LMDB with manual time. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, type AlertEvent, type AlertState } from '../../src/core/index.js';
import { createDelivery, ManualScheduler, parseDeliveryConfig, ReceiverUnavailableError, type Delivery, type DeliverableEvent, type DeliveryRequest, type Receiver } from '../../src/deliver/index.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../support/temp-dir.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  json<T = unknown>(): T;
}

export type Responder = (req: RecordedRequest, res: ServerResponse) => void;

/** A node:http server on an ephemeral port; by default answers 200 to everything. */
export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces how the server answers from now on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export const ok: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

export function status(code: number, headers: Record<string, string> = {}, body = ''): Responder {
  return (_req, res) => {
    res.writeHead(code, headers).end(body);
  };
}

export async function startServer(responder: Responder = ok): Promise<RecordingServer> {
  let current = responder;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json: <T>() => JSON.parse(body) as T };
      requests.push(recorded);
      current(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (r) => {
      current = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: a receiver that is down. */
export async function deadUrl(): Promise<string> {
  const s = await startServer();
  const url = s.url;
  await s.close();
  return url;
}

/** A receiver that fails (temporarily) while `state.down` is set, and records what it accepted. */
export function switchableReceiver(name: string, batches = false): { receiver: Receiver; state: { down: boolean; seen: DeliveryRequest[] } } {
  const state = { down: true, seen: [] as DeliveryRequest[] };
  const receiver: Receiver = {
    name,
    type: 'switchable',
    batches,
    send: async (r) => {
      if (state.down) throw new ReceiverUnavailableError(name, 'down');
      state.seen.push(r);
    },
  };
  return { receiver, state };
}

let seq = 0;

export function alertEvent(rule: string, group: Record<string, string>, from: AlertState, to: AlertState, ts: number, n: number, value = 1): AlertEvent {
  const groupText = Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const alert = `alert/${rule}/${groupText}`;
  return { seq: ++seq, id: `${alert}#${n}`, rule, alert, labels: group, from, to, ts, value, severity: 'critical' };
}

export interface Harness {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly scheduler: ManualScheduler;
  readonly delivery: Delivery;
  readonly dataDir: string;
  /** Plans the events, commits the writes like the engine would, wakes the dispatcher and waits for it. */
  commit(events: readonly DeliverableEvent[]): Promise<void>;
  /** Moves time forward, firing due timers, and waits until the dispatcher is idle again. */
  advance(ms: number): Promise<void>;
  /** Stops the dispatcher and closes the store, keeping the data directory (a restart). */
  close(): Promise<void>;
  /** Opens the same data directory again with a new dispatcher. */
  reopen(): Promise<Harness>;
  /** Closes everything and removes the data directory. */
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  readonly delivery: unknown;
  readonly env?: NodeJS.ProcessEnv;
  readonly startAt?: number;
  readonly receivers?: ReadonlyMap<string, Receiver>;
  readonly dataDir?: { path: string; remove(): void };
  /** Deliveries per receiver the dispatcher holds in memory. */
  readonly windowPerReceiver?: number;
}

/** Zero jitter keeps retry times exact in assertions. */
const noJitter = (): number => 0.5;

export async function harness(options: HarnessOptions): Promise<Harness> {
  const dir = options.dataDir ?? tempDir('vigil-deliver-');
  const store = Store.open({ dataDir: dir.path });
  const clock = new ManualClock(options.startAt ?? 1_700_000_000_000);
  const scheduler = new ManualScheduler(clock);
  const config = parseDeliveryConfig(options.delivery, options.env ?? {});
  const delivery = createDelivery({
    store,
    config,
    clock,
    scheduler,
    random: noJitter,
    ...(options.receivers ? { receivers: options.receivers } : {}),
    ...(options.windowPerReceiver !== undefined ? { windowPerReceiver: options.windowPerReceiver } : {}),
  });
  delivery.start();
  let closed = false;
  const h: Harness = {
    store,
    clock,
    scheduler,
    delivery,
    dataDir: dir.path,
    async commit(events) {
      const writes = delivery.plan(events);
      await store.commit({ actors: new Map(), events: [], deadlinesAdded: [], deadlinesRemoved: [], meta: new Map(), writes });
      delivery.wake();
      await delivery.idle();
    },
    advance: (ms) => scheduler.advanceSettled(ms, () => delivery.idle()),
    async close() {
      if (closed) return;
      closed = true;
      await delivery.stop();
      await store.close();
    },
    async reopen() {
      await h.close();
      return harness({ ...options, dataDir: dir, startAt: clock.now() });
    },
    async dispose() {
      await h.close();
      dir.remove();
    },
  };
  return h;
}
