/**
 * The stage every scenario test (test/scenarios/) plays on: a real gRPC server
 * on an ephemeral port around a real engine on a temp dir, rules applied over
 * RuleService, points and events sent over IngestService, transitions read
 * back from StreamAlerts, and an optional real delivery stage. Time is event
 * time only; the wall clock is a ManualClock that moves only when a test says so.
 */
import { afterEach } from 'vitest';
import { call, type AlertEventMsg, type DataPointMsg, type EventMsg, type IngestResponseMsg } from '../../src/api/index.js';
import { ManualClock } from '../../src/core/index.js';
import { createDelivery, ManualScheduler, parseDeliveryConfig, type Delivery } from '../../src/deliver/index.js';
import type { EngineOptions } from '../../src/engine.js';
import { AlertCollector, T0 } from './grpc-client.js';
import { startTestServer, type TestServer } from './in-process-server.js';

export { T0 };

const second = 1000;
const minute = 60 * second;

/** Event time `h:mm:ss` after T0 (midnight, so every step length divides it). */
export function at(hms: string): number {
  const parts = hms.split(':').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p))) throw new Error(`write times as h:mm:ss, not "${hms}"`);
  const [h, m, s] = parts as [number, number, number];
  return T0 + ((h * 60 + m) * 60 + s) * second;
}

/** Event time `seconds` into minute `m` after T0: the step index of one-minute rules. */
export function inMinute(m: number, seconds = 0): number {
  return T0 + m * minute + seconds * second;
}

function hms(ms: number): string {
  const s = Math.round((ms - T0) / second);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

function labelText(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '{}' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

/** One transition as a timeline row: `00:05:00 rule cluster=c1 inactive -> firing`. */
export function row(e: AlertEventMsg): string {
  return `${hms(e.tsMs)} ${e.rule} ${labelText(e.labels)} ${e.fromState} -> ${e.toState}`;
}

/**
 * Reads an expected timeline written as a table: one transition per line,
 * columns `time rule alert-labels from -> to`, separated by any spaces.
 * A header line starting with `time` and everything after `#` are ignored.
 */
export function timeline(table: string): string[] {
  return table
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('time '))
    .map((line) => line.split(/\s+/).join(' '));
}

export function point(name: string, tags: Record<string, string>, value: number, tsMs: number): DataPointMsg {
  return { name, tags, value, tsMs };
}

export function event(type: string, tags: Record<string, string>, fields: Record<string, string>, tsMs: number): EventMsg {
  return { type, tags, fields, tsMs };
}

/** Moves event time forward without touching any rule: a point no rule selects. */
export const tickMetric = 'scenario_clock_tick';

export interface ScenarioOptions extends Partial<EngineOptions> {
  /** Rule text applied over RuleService before anything is sent. */
  readonly rules: string;
  /** Send every batch as this producer (batch ids 1, 2, …): re-sent batches become duplicates. */
  readonly producerId?: string;
  /** A `delivery:` config section: runs the real delivery stage on the engine's commits, timed by the manual clock. */
  readonly delivery?: unknown;
}

export interface Scenario {
  readonly server: TestServer;
  readonly clock: ManualClock;
  readonly delivery?: Delivery;
  /** Sends one batch over IngestService; resolves with its acknowledgement (its effects are durable). */
  send(batch: { points?: DataPointMsg[]; events?: EventMsg[] }, options?: { batchId?: number }): Promise<IngestResponseMsg>;
  /** Moves event time (and so the watermark) to `tsMs`. */
  advanceTo(tsMs: number): Promise<IngestResponseMsg>;
  /**
   * Moves the wall clock to `wallMs` and runs the engine's periodic tick (what
   * `vigil serve` does every second): idle sources advance the watermark.
   * Resolves with the number of transitions it committed.
   */
  tickAt(wallMs: number): Promise<number>;
  /** Every transition committed so far, as StreamAlerts delivered them, oldest first. */
  transitions(): Promise<AlertEventMsg[]>;
  /** The transitions as timeline rows (see `row`). */
  rows(): Promise<string[]>;
  /** Rows of the committed transitions the engine flagged as caused by no data (not carried by StreamAlerts yet). */
  noDataRows(): Promise<string[]>;
  /** Lets the delivery stage flush and send everything due now, without moving the clock. */
  deliver(): Promise<void>;
  stop(): Promise<void>;
}

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const { rules, producerId, delivery: deliveryConfig, ...engineOptions } = options;
  const clock = new ManualClock(T0);
  const scheduler = new ManualScheduler(clock);
  const server = await startTestServer({ clock, ...engineOptions });
  let delivery: Delivery | undefined;
  if (deliveryConfig !== undefined) {
    const d = createDelivery({ store: server.engine.store, config: parseDeliveryConfig(deliveryConfig, {}), clock, scheduler, random: () => 0.5 });
    server.engine.setCommitHook({ plan: (events) => d.plan(events), committed: () => d.wake() });
    d.start();
    delivery = d;
  }
  await call(server.clients.rules, 'applyRules', { source: rules });
  const stream = new AlertCollector(server.clients);
  let nextBatchId = 1;
  let lastSequence = 0;

  const send: Scenario['send'] = async (batch, sendOptions = {}) => {
    const batchId = sendOptions.batchId ?? nextBatchId;
    nextBatchId = Math.max(nextBatchId, batchId + 1);
    const ack = await call<IngestResponseMsg>(server.clients.ingest, 'ingestBatch', {
      batchId,
      producerId: producerId ?? '',
      points: batch.points ?? [],
      events: batch.events ?? [],
    });
    lastSequence = Math.max(lastSequence, ack.lastSequence);
    return ack;
  };

  const transitions = async (): Promise<AlertEventMsg[]> => {
    // Every committed event has a sequence number up to the newest one acknowledged; nothing else commits.
    // They are on their way already; the timer only turns a missing event into a clear failure instead of a hang.
    let timer: NodeJS.Timeout | undefined;
    const missing = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`StreamAlerts delivered ${stream.events.length} of ${lastSequence} committed events`)), 10_000);
    });
    try {
      return (await Promise.race([stream.waitFor(lastSequence), missing])).slice();
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    server,
    clock,
    ...(delivery ? { delivery } : {}),
    send,
    advanceTo: (tsMs) => send({ points: [point(tickMetric, {}, 0, tsMs)] }),
    tickAt: async (wallMs) => {
      clock.set(wallMs);
      const committed = await server.engine.tick();
      lastSequence = Math.max(lastSequence, server.engine.lastSeq());
      return committed;
    },
    transitions,
    rows: async () => (await transitions()).map(row),
    noDataRows: async () => {
      const flagged = new Set(server.engine.readEvents(0, 100_000).filter((e) => e.noData === true).map((e) => e.seq));
      return (await transitions()).filter((e) => flagged.has(e.sequence)).map(row);
    },
    deliver: async () => {
      if (delivery) await scheduler.advanceSettled(0, () => delivery.idle());
    },
    stop: async () => {
      stream.cancel();
      await delivery?.stop();
      await server.stop();
    },
  };
}

/**
 * For a describe block: returns `start`, which starts a scenario; every
 * scenario started in a test is stopped after it.
 */
export function useScenarios(): (options: ScenarioOptions) => Promise<Scenario> {
  const started: Scenario[] = [];
  afterEach(async () => {
    for (const scenario of started.splice(0)) await scenario.stop();
  });
  return async (options) => {
    const scenario = await startScenario(options);
    started.push(scenario);
    return scenario;
  };
}
