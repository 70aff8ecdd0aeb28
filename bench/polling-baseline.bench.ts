/**
 * The S2 scale story (issue 10): detection delay of a polling evaluator
 * against Vigil's streaming evaluator as the rule count grows 1×, 5×, 20×
 * over the same data, at a fixed ingest rate and evaluation interval.
 *
 * Both run the same rules, `max(cpu{sel="g<k>"}) by (host) > T step 1m`, over
 * the same points; every run checks that they detect exactly the same
 * (rule, host, step) breaches.
 *
 * - Polling: a simple in-memory time-series store (points appended per
 *   series, an inverted index from tag to series) and, every evaluation
 *   interval, one query per rule that scans the rule's series for the last
 *   step, groups by `host` and evaluates the condition — what a
 *   rule-per-query alerting system does against its TSDB. Deliberately
 *   favourable to polling: no network, no query planner, and each round starts
 *   the moment the step's data is complete (a real scheduler's phase adds on
 *   average half an interval more).
 * - Streaming: src/evaluate's Evaluator fed the same points in one batch per
 *   second as they arrive; a step closes when the watermark passes its end.
 *
 * Time: event time is simulated, wall time is virtual but every cost in it is
 * measured. Each system is one evaluation thread: a round or a batch starts at
 * max(when its input is complete, when the thread is free) and takes what it
 * took here in CPU time. The TSDB's appends are timed separately (a TSDB is
 * another process) and do not delay the poller. Detection delay = wall time a
 * rule's condition is seen true − event time of the breaching point; "after
 * step end" subtracts the end of the breaching step, i.e. what the system adds
 * to the step the rule itself waits for.
 *
 * Sizes (environment): BENCH_RULES base rule count (500), BENCH_MULTIPLES
 * (1,5,20), BENCH_SERIES (20,000), BENCH_RATE points/s (20,000), BENCH_STEPS
 * measured steps of one minute (4, after one warm-up step), BENCH_BREACHES per
 * step (20), BENCH_POLL_QUERY_OVERHEAD_MS (0,2): fixed times per polling
 * query, each giving one polling timeline. 0 is the in-memory store as
 * measured; a positive value models the round trip to a remote TSDB that the
 * in-memory store does not have, and is reported as such: the rounds' measured
 * CPU times are replayed with that much added per query.
 */
import { BatchEffects, Evaluator } from '../src/evaluate/index.js';
import type { DataPoint } from '../src/core/index.js';
import { compileSource, type CompiledRule } from '../src/language/index.js';
import { report } from './machine.js';

const env = (name: string, dflt: number): number => Number(process.env[name] ?? dflt);
const BASE_RULES = env('BENCH_RULES', 500);
const MULTIPLES = (process.env.BENCH_MULTIPLES ?? '1,5,20').split(',').map(Number);
const SERIES = env('BENCH_SERIES', 20_000);
const RATE = env('BENCH_RATE', 20_000);
const STEPS = env('BENCH_STEPS', 4);
const BREACHES = env('BENCH_BREACHES', 20);
/** Fixed time per polling query added to the measured CPU time, one timeline each: 0 is the in-memory store alone. */
const OVERHEADS_MS = (process.env.BENCH_POLL_QUERY_OVERHEAD_MS ?? '0,2').split(',').map(Number);

const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 60_000;
const INTERVAL_MS = STEP_MS;
const BATCH_MS = 1_000;
const BREACH_VALUE = 95;
/** Steps simulated: one warm-up step (JIT, first-seen groups; its breaches are not counted), the measured ones, and one to close the last. */
const TOTAL_STEPS = STEPS + 2;

/** Series j: `cpu{sel="g<j mod groups>", host="h<j>"}`. Rule i selects group i mod groups; groups = the base rule count. */
interface Rule {
  readonly name: string;
  readonly group: string;
  readonly threshold: number;
}

function makeRules(count: number): Rule[] {
  // Rules beyond the base count are the programmatically generated kind: same series, other thresholds (all below the breach value).
  return Array.from({ length: count }, (_, i) => ({ name: `r${i}`, group: `g${i % BASE_RULES}`, threshold: 90 + (Math.floor(i / BASE_RULES) % 20) * 0.2 }));
}

const seriesTags = Array.from({ length: SERIES }, (_, j) => ({ sel: `g${j % BASE_RULES}`, host: `h${j}` }));

/** Deterministic data: RATE points per second round-robin over the series, values 20..70, and BREACHES breaching points per step after warm-up. */
class Workload {
  /** `<host>|<step>` → event time of the first breaching point of that host in that step. */
  readonly breaches = new Map<string, number>();
  private readonly breachAt = new Map<number, number>();
  private seed = 42;

  constructor() {
    let previous = new Set<number>();
    for (let step = 1; step <= STEPS; step++) {
      const chosen = new Set<number>();
      while (chosen.size < Math.min(BREACHES, Math.floor(SERIES / 3))) {
        const j = Math.floor(this.rand() * SERIES);
        // A host breaching two steps in a row would stay firing: one detection, not two. Keep them apart.
        if (!previous.has(j)) chosen.add(j);
      }
      for (const j of chosen) {
        // Any point of the series within the step; the point index p of second k holds series (k*RATE + p) mod SERIES.
        const second = step * 60 + Math.floor(this.rand() * 60);
        const p = (((j - second * RATE) % SERIES) + SERIES) % SERIES;
        if (p >= RATE) continue; // the series has no point in that second (RATE < SERIES)
        this.breachAt.set(second * RATE + p, 1);
        this.breaches.set(`h${j}|${step}`, T0 + second * 1000 + Math.floor((p * 1000) / RATE));
      }
      previous = chosen;
    }
  }

  /** The points of second k, in event-time order. */
  second(k: number): DataPoint[] {
    const out: DataPoint[] = new Array(RATE);
    for (let p = 0; p < RATE; p++) {
      const j = (k * RATE + p) % SERIES;
      // The same values in every run, whatever the rule count: a hash of the point's position.
      const value = this.breachAt.has(k * RATE + p) ? BREACH_VALUE : 20 + ((k * 7919 + p * 104_729) % 5000) / 100;
      out[p] = { name: 'cpu', tags: seriesTags[j]!, value, ts: T0 + k * 1000 + Math.floor((p * 1000) / RATE) };
    }
    return out;
  }

  private rand(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed / 0x7fffffff;
  }
}

/** One series in the store: parallel arrays of time and value, appended in time order. */
class Series {
  ts: Float64Array = new Float64Array(256);
  values: Float64Array = new Float64Array(256);
  n = 0;
  constructor(
    readonly name: string,
    readonly tags: Readonly<Record<string, string>>,
  ) {}

  append(ts: number, value: number): void {
    if (this.n === this.ts.length) {
      this.ts = grow(this.ts);
      this.values = grow(this.values);
    }
    this.ts[this.n] = ts;
    this.values[this.n++] = value;
  }

  /** Index of the first point at or after `ts` (binary search). */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops points before `ts` (retention). */
  trim(ts: number): void {
    const cut = this.lowerBound(ts);
    this.ts.copyWithin(0, cut, this.n);
    this.values.copyWithin(0, cut, this.n);
    this.n -= cut;
  }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** The polling side's time-series database: series by identity, an inverted index by tag, append and range scan. */
class Tsdb {
  private readonly byKey = new Map<string, Series>();
  private readonly index = new Map<string, Series[]>();

  append(p: DataPoint): void {
    const key = `${p.name}{${Object.keys(p.tags)
      .sort()
      .map((k) => `${k}=${p.tags[k]}`)
      .join(',')}}`;
    let s = this.byKey.get(key);
    if (!s) {
      this.byKey.set(key, (s = new Series(p.name, p.tags)));
      for (const [k, v] of [['__name__', p.name], ...Object.entries(p.tags)] as const) {
        const ix = `${k}=${v}`;
        const list = this.index.get(ix);
        if (list) list.push(s);
        else this.index.set(ix, [s]);
      }
    }
    s.append(p.ts, p.value);
  }

  /** Series with all the given tag values: the shortest posting list, filtered on the series' own tags. */
  select(matchers: Readonly<Record<string, string>>): Series[] {
    const entries = Object.entries(matchers);
    let shortest: Series[] | undefined;
    for (const [k, v] of entries) {
      const list = this.index.get(`${k}=${v}`);
      if (!list) return [];
      if (!shortest || list.length < shortest.length) shortest = list;
    }
    return (shortest ?? []).filter((s) => entries.every(([k, v]) => (k === '__name__' ? s.name === v : s.tags[k] === v)));
  }

  trim(ts: number): void {
    for (const s of this.byKey.values()) s.trim(ts);
  }
}

/** One rule's query: max over [from, to) per `host` of the selected series, then the threshold. Returns the breaching hosts. */
function pollQuery(db: Tsdb, rule: Rule, from: number, to: number): string[] {
  const maxByGroup = new Map<string, number>();
  for (const s of db.select({ __name__: 'cpu', sel: rule.group })) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = s.lowerBound(from); i < s.n && s.ts[i]! < to; i++) if (s.values[i]! > max) max = s.values[i]!;
    if (max === Number.NEGATIVE_INFINITY) continue;
    const g = s.tags.host!;
    const prev = maxByGroup.get(g);
    if (prev === undefined || max > prev) maxByGroup.set(g, max);
  }
  const out: string[] = [];
  for (const [g, v] of maxByGroup) if (v > rule.threshold) out.push(g);
  return out;
}

interface Detection {
  /** Wall-clock delay from the breaching point's event time. */
  readonly total: number;
  /** Wall-clock delay from the end of the breaching step. */
  readonly afterStep: number;
}

/** Matches detections of a new firing (rule, host) with the breach that caused it. */
class Detections {
  readonly list: Detection[] = [];
  readonly keys = new Set<string>();

  constructor(
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly breaches: ReadonlyMap<string, number>,
  ) {}

  detected(rule: string, host: string, step: number, wallMs: number): void {
    const breachTs = this.breaches.get(`${host}|${step}`);
    // Values other than the breaches stay below every threshold: anything else is a bug in one of the two evaluators.
    if (breachTs === undefined) throw new Error(`${rule} fired for ${host} in step ${step}, which has no breach`);
    if (!this.rules.has(rule)) throw new Error(`unknown rule ${rule}`);
    this.keys.add(`${rule}|${host}|${step}`);
    this.list.push({ total: wallMs - breachTs, afterStep: wallMs - (T0 + (step + 1) * STEP_MS) });
  }
}

/** A poller's detection, as measured: which query of the round saw it and the CPU time into the round when it did. */
interface PollHit {
  readonly rule: string;
  readonly host: string;
  readonly step: number;
  readonly query: number;
  readonly cpuMs: number;
}

/** One polling round as measured: when its data was complete, its CPU time, what it detected. */
interface PollRound {
  readonly due: number;
  readonly cpuMs: number;
  readonly hits: readonly PollHit[];
}

interface Outcome {
  readonly streaming: Detections;
  readonly rounds: readonly PollRound[];
  /** CPU ms of one polling round (all rules), mean over the measured steps. */
  readonly pollRoundMs: number;
  /** CPU ms of streaming evaluation per step of event time (60 one-second batches), mean. */
  readonly streamStepMs: number;
  /** CPU ms of the one batch per step that closes every rule's step, mean. */
  readonly streamCloseBatchMs: number;
  /** CPU ms of the TSDB's appends per step (not on the poller's path). */
  readonly tsdbAppendStepMs: number;
  readonly expected: number;
}

function compile(rules: readonly Rule[]): CompiledRule[] {
  const out = compileSource(rules.map((r) => `rule ${r.name} { when max(cpu{sel="${r.group}"}) by (host) > ${r.threshold} step 1m }`).join('\n'));
  if (out.diagnostics.length > 0) throw new Error(out.diagnostics[0]!.message);
  return [...out.rules];
}

function run(rules: readonly Rule[], work: Workload): Outcome {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const evaluator = new Evaluator({ get: () => undefined });
  evaluator.restore({ get: () => undefined, getRange: () => [] }, []);
  for (const c of compile(rules)) evaluator.setRule(c);
  const db = new Tsdb();
  const streaming = new Detections(byName, work.breaches);
  // Polling's alert state: the firing hosts of each rule.
  const firing = new Map(rules.map((r) => [r.name, new Set<string>()]));
  const rounds: PollRound[] = [];
  let streamFree = 0;
  const measured = { pollRound: [] as number[], streamStep: [] as number[], closeBatch: [] as number[], append: [] as number[] };
  let streamStepCpu = 0;
  let appendCpu = 0;
  for (let k = 0; k < TOTAL_STEPS * 60; k++) {
    const points = work.second(k);
    const arrives = T0 + (k + 1) * BATCH_MS; // a batch is complete once its last second has passed
    // Streaming: evaluate the batch as it arrives, on one thread.
    const start = Math.max(arrives, streamFree);
    const fx = new BatchEffects();
    const c0 = performance.now();
    evaluator.evaluate(points, fx, [], 'bench', start);
    const cost = performance.now() - c0;
    streamFree = start + cost;
    streamStepCpu += cost;
    for (const e of fx.events) if (e.to === 'firing') streaming.detected(e.rule, e.labels.host!, Math.floor((e.ts - T0) / STEP_MS) - 1, streamFree);
    // Polling: the TSDB ingests the same points (timed apart: another process).
    const a0 = performance.now();
    for (const p of points) db.append(p);
    appendCpu += performance.now() - a0;
    if (k % 60 !== 0 || k === 0) continue;
    // The first batch past a step end: streaming just closed the step; the poller's round for it is due.
    const step = k / 60 - 1;
    const stepStart = T0 + step * STEP_MS;
    const hits: PollHit[] = [];
    const r0 = performance.now();
    rules.forEach((rule, query) => {
      const hosts = pollQuery(db, rule, stepStart, stepStart + STEP_MS);
      const was = firing.get(rule.name)!;
      for (const host of hosts) if (!was.has(host)) hits.push({ rule: rule.name, host, step, query, cpuMs: performance.now() - r0 });
      if (hosts.length > 0 || was.size > 0) firing.set(rule.name, new Set(hosts));
    });
    const roundCpu = performance.now() - r0;
    rounds.push({ due: arrives, cpuMs: roundCpu, hits });
    if (step >= 1) {
      measured.pollRound.push(roundCpu);
      measured.closeBatch.push(cost);
      measured.streamStep.push(streamStepCpu);
      measured.append.push(appendCpu);
    }
    streamStepCpu = 0;
    appendCpu = 0;
    db.trim(stepStart - STEP_MS); // keep two steps
  }
  const breachesByGroup = new Map<string, number>();
  for (const key of work.breaches.keys()) {
    const group = seriesTags[Number(key.slice(1, key.indexOf('|')))]!.sel;
    breachesByGroup.set(group, (breachesByGroup.get(group) ?? 0) + 1);
  }
  return {
    streaming,
    rounds,
    expected: rules.reduce((n, r) => n + (breachesByGroup.get(r.group) ?? 0), 0),
    pollRoundMs: mean(measured.pollRound),
    streamStepMs: mean(measured.streamStep),
    streamCloseBatchMs: mean(measured.closeBatch),
    tsdbAppendStepMs: mean(measured.append),
  };
}

/**
 * The poller's wall-clock timeline for a given fixed cost per query: each round
 * starts when its step's data is complete or when the previous round ended,
 * whichever is later, and a round that takes longer than the interval delays
 * every round after it.
 */
function pollTimeline(rules: readonly Rule[], rounds: readonly PollRound[], work: Workload, overheadMs: number): { detections: Detections; lastRoundMs: number } {
  const detections = new Detections(new Map(rules.map((r) => [r.name, r])), work.breaches);
  let free = 0;
  let lastRoundMs = 0;
  for (const r of rounds) {
    const start = Math.max(r.due, free);
    for (const h of r.hits) detections.detected(h.rule, h.host, h.step, start + h.cpuMs + (h.query + 1) * overheadMs);
    lastRoundMs = r.cpuMs + rules.length * overheadMs;
    free = start + lastRoundMs;
  }
  return { detections, lastRoundMs };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function pct(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

interface Figures {
  /** Delay after the end of the breaching step, ms. */
  readonly p50: number;
  readonly p99: number;
  /** Delay from the breaching point's event time, ms. */
  readonly totalP50: number;
  readonly totalP99: number;
}

function figures(d: Detections, expected: number, what: string): Figures {
  if (d.list.length !== expected) throw new Error(`${what}: ${d.list.length} detections, expected ${expected}`);
  const after = d.list.map((x) => x.afterStep);
  const total = d.list.map((x) => x.total);
  return { p50: pct(after, 0.5), p99: pct(after, 0.99), totalP50: pct(total, 0.5), totalP99: pct(total, 0.99) };
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const line = (f: Figures): string => `after step end p50 ${sec(f.p50)}, p99 ${sec(f.p99)}; from breach p50 ${sec(f.totalP50)}, p99 ${sec(f.totalP99)}`;

process.stdout.write(
  `${SERIES.toLocaleString('en')} series, ${RATE.toLocaleString('en')} points/s, 1-minute steps, evaluation interval ${INTERVAL_MS / 1000} s, ` +
    `${STEPS} measured steps, ${BREACHES} breaching hosts per step; polling query overheads modelled: ${OVERHEADS_MS.join(', ')} ms\n`,
);
const work = new Workload();
const streamP99: number[] = [];
for (const multiple of MULTIPLES) {
  const rules = makeRules(BASE_RULES * multiple);
  const count = rules.length;
  const o = run(rules, work);
  const detail = { rules: count, detections: o.expected, series: SERIES, pointsPerSec: RATE, intervalMs: INTERVAL_MS };
  const s = figures(o.streaming, o.expected, `streaming, ${count} rules`);
  streamP99.push(s.p99);
  process.stdout.write(`${count.toLocaleString('en')} rules (${multiple}×), ${o.expected} detections each:\n`);
  process.stdout.write(`  streaming:  ${line(s)}; CPU ${r2(o.streamStepMs)} ms per step of input (closing batch ${r2(o.streamCloseBatchMs)} ms)\n`);
  report({ bench: 'polling-baseline', name: `streaming, ${count} rules: detection delay after step end, p50`, value: r2(s.p50), unit: 'ms', detail: { ...detail, fromBreachP50Ms: r2(s.totalP50) } });
  report({ bench: 'polling-baseline', name: `streaming, ${count} rules: detection delay after step end, p99`, value: r2(s.p99), unit: 'ms', detail: { ...detail, fromBreachP99Ms: r2(s.totalP99) } });
  report({ bench: 'polling-baseline', name: `streaming, ${count} rules: CPU per step of input`, value: r2(o.streamStepMs), unit: 'ms', detail: { ...detail, closingBatchMs: r2(o.streamCloseBatchMs) } });
  report({ bench: 'polling-baseline', name: `polling, ${count} rules: CPU per evaluation round`, value: r2(o.pollRoundMs), unit: 'ms', detail: { ...detail, tsdbAppendMsPerStep: r2(o.tsdbAppendStepMs) } });
  for (const overheadMs of OVERHEADS_MS) {
    const { detections, lastRoundMs } = pollTimeline(rules, o.rounds, work, overheadMs);
    const p = figures(detections, o.expected, `polling, ${count} rules, ${overheadMs} ms per query`);
    const same = [...o.streaming.keys].every((k) => detections.keys.has(k));
    if (!same) throw new Error(`${count} rules: streaming and polling detected different breaches`);
    const label = overheadMs === 0 ? 'polling, in-memory' : `polling, +${overheadMs} ms/query`;
    const behind = lastRoundMs > INTERVAL_MS ? ` — a round takes ${sec(lastRoundMs)}, longer than the interval: it falls further behind every round` : '';
    process.stdout.write(`  ${label}: ${line(p)}${overheadMs === 0 ? `; CPU ${r2(o.pollRoundMs)} ms per round (TSDB appends ${r2(o.tsdbAppendStepMs)} ms per step, apart)` : ''}${behind}\n`);
    const pdetail = { ...detail, queryOverheadMs: overheadMs, roundMs: r2(lastRoundMs) };
    report({ bench: 'polling-baseline', name: `${label}, ${count} rules: detection delay after step end, p50`, value: r2(p.p50), unit: 'ms', detail: { ...pdetail, fromBreachP50Ms: r2(p.totalP50) } });
    report({ bench: 'polling-baseline', name: `${label}, ${count} rules: detection delay after step end, p99`, value: r2(p.p99), unit: 'ms', detail: { ...pdetail, fromBreachP99Ms: r2(p.totalP99) } });
  }
}
if (MULTIPLES.length > 1) {
  const ratio = streamP99[streamP99.length - 1]! / streamP99[0]!;
  const span = `${MULTIPLES[MULTIPLES.length - 1]}× / ${MULTIPLES[0]}×`;
  report({ bench: 'polling-baseline', name: `streaming: p99 detection delay after step end, ${span} rules`, value: r2(ratio), unit: '×', target: 'flat (≤ 1.5×)', met: ratio <= 1.5 });
}
