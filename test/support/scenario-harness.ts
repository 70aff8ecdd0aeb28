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
import { tempDir } from './temp-dir.js';

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

/** One scenario run: the server, what was sent, and what StreamAlerts delivered. */
export class Scenario {
  readonly clock = new ManualClock(T0);
  private readonly scheduler = new ManualScheduler(this.clock);
  /** Survives restarts: the server's own temp dir does not. */
  private readonly dataDir = tempDir('vigil-scenario-');
  private running!: TestServer;
  private stream!: AlertCollector;
  private deliveryStage: Delivery | undefined;
  private readonly nextBatchId = new Map<string, number>();
  private lastSequence = 0;

  private constructor(private readonly options: ScenarioOptions) {}

  static async start(options: ScenarioOptions): Promise<Scenario> {
    const scenario = new Scenario(options);
    await scenario.open();
    await call(scenario.server.clients.rules, 'applyRules', { source: options.rules });
    return scenario;
  }

  get server(): TestServer {
    return this.running;
  }

  get delivery(): Delivery | undefined {
    return this.deliveryStage;
  }

  private async open(): Promise<void> {
    const { rules: _rules, producerId: _producerId, delivery: deliveryConfig, ...engineOptions } = this.options;
    this.running = await startTestServer({ ...engineOptions, clock: this.clock, dataDir: this.dataDir.path });
    if (deliveryConfig !== undefined) {
      const d = createDelivery({ store: this.running.engine.store, config: parseDeliveryConfig(deliveryConfig, {}), clock: this.clock, scheduler: this.scheduler, random: () => 0.5 });
      this.running.engine.setCommitHook({ plan: (events) => d.plan(events), committed: () => d.wake() });
      d.start();
      this.deliveryStage = d;
    }
    // From sequence 0: after a restart the stream replays the log, so it holds every transition once.
    this.stream = new AlertCollector(this.running.clients);
  }

  private async close(): Promise<void> {
    this.stream.cancel();
    await this.deliveryStage?.stop();
    this.deliveryStage = undefined;
    await this.running.stop();
  }

  /** Sends one batch over IngestService; resolves with its acknowledgement (its effects are durable). */
  async send(batch: { points?: DataPointMsg[]; events?: EventMsg[] }, options: { batchId?: number } = {}): Promise<IngestResponseMsg> {
    const producerId = this.options.producerId ?? '';
    const batchId = options.batchId ?? this.nextBatchId.get(producerId) ?? 1;
    this.nextBatchId.set(producerId, Math.max(this.nextBatchId.get(producerId) ?? 1, batchId + 1));
    const ack = await call<IngestResponseMsg>(this.running.clients.ingest, 'ingestBatch', { batchId, producerId, points: batch.points ?? [], events: batch.events ?? [] });
    this.lastSequence = Math.max(this.lastSequence, ack.lastSequence);
    return ack;
  }

  /** Moves event time (and so the watermark) to `tsMs`. */
  advanceTo(tsMs: number): Promise<IngestResponseMsg> {
    return this.send({ points: [point(tickMetric, {}, 0, tsMs)] });
  }

  /**
   * Moves the wall clock to `wallMs` and runs the engine's periodic tick (what
   * `vigil serve` does every second): idle sources advance the watermark.
   * Resolves with the number of transitions it committed.
   */
  async tickAt(wallMs: number): Promise<number> {
    this.clock.set(wallMs);
    const committed = await this.running.engine.tick();
    this.lastSequence = Math.max(this.lastSequence, this.running.engine.lastSeq());
    return committed;
  }

  /** Stops the server and starts a new one on the same data directory; rules and state come from LMDB. */
  async restart(): Promise<void> {
    await this.close();
    await this.open();
  }

  /** Every transition committed so far, as StreamAlerts delivered them, oldest first. */
  async transitions(): Promise<AlertEventMsg[]> {
    // Every committed event has a sequence number up to the newest one acknowledged; nothing else commits.
    // They are on their way already; the timer only turns a missing event into a clear failure instead of a hang.
    let timer: NodeJS.Timeout | undefined;
    const missing = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`StreamAlerts delivered ${this.stream.events.length} of ${this.lastSequence} committed events`)), 10_000);
    });
    try {
      return (await Promise.race([this.stream.waitFor(this.lastSequence), missing])).slice();
    } finally {
      clearTimeout(timer);
    }
  }

  /** The transitions as timeline rows (see `row`). */
  async rows(): Promise<string[]> {
    return (await this.transitions()).map(row);
  }

  /** Rows of the transitions StreamAlerts flags as caused by no data. */
  async noDataRows(): Promise<string[]> {
    return (await this.transitions()).filter((e) => e.noData).map(row);
  }

  /** Lets the delivery stage flush and send everything due now, without moving the clock. */
  async deliver(): Promise<void> {
    const d = this.deliveryStage;
    if (d) await this.scheduler.advanceSettled(0, () => d.idle());
  }

  async stop(): Promise<void> {
    await this.close();
    this.dataDir.remove();
  }
}

export function startScenario(options: ScenarioOptions): Promise<Scenario> {
  return Scenario.start(options);
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
