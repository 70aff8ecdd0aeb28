/**
 * Core evaluation (issue 4): the evaluate stage in-process, points already
 * decoded, no LMDB commit (a batch's effects are collected and dropped), so
 * the figure is the cost of routing, step folding, closing and edges.
 *
 * - throughput: 10,000 rules over 100,000 series, point rules and step rules;
 * - routing: the same stream against 100 and 100,000 rules, each rule
 *   selective on one tag value (every point matches exactly one rule);
 * - memory: heap per resident alert instance with 1,000,000 instances.
 */
import { compileSource, type CompiledRule } from '../src/language/index.js';
import { BatchEffects, Evaluator } from '../src/evaluate/index.js';
import type { DataPoint } from '../src/core/index.js';
import type { AlertRecord } from '../src/store/index.js';
import { report } from './machine.js';

const T0 = Date.UTC(2026, 0, 1);
const SERIES = 100_000;
const BATCH = 10_000;

function compileRules(text: string): CompiledRule[] {
  const out = compileSource(text);
  if (out.diagnostics.length > 0) throw new Error(out.diagnostics[0]!.message);
  return [...out.rules];
}

function evaluator(rules: readonly CompiledRule[]): Evaluator {
  const store = new Map<string, AlertRecord>();
  const e = new Evaluator({ get: (id) => store.get(id) });
  e.restore({ get: () => undefined, getRange: () => [] }, []);
  for (const r of rules) e.setRule(r);
  return e;
}

/** Series j carries `sel = s<j mod ruleCount>` and `host = h<j>`; one point per series every 10 s of event time. */
function makeSeries(ruleCount: number): Array<Record<string, string>> {
  return Array.from({ length: SERIES }, (_, j) => ({ sel: `s${j % ruleCount}`, host: `h${j}` }));
}

/** Feeds `rounds` rounds of every series; returns points per second of evaluation. */
function run(e: Evaluator, series: ReadonlyArray<Record<string, string>>, rounds: number): { pointsPerSec: number; transitions: number } {
  let transitions = 0;
  let points = 0;
  let elapsed = 0;
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let round = 0; round < rounds; round++) {
    const base = T0 + round * 10_000;
    for (let start = 0; start < series.length; start += BATCH) {
      const batch: DataPoint[] = [];
      for (let j = start; j < Math.min(series.length, start + BATCH); j++) {
        // 1% of series run hot for a while, so edges happen but most evaluations change nothing.
        const hot = j % 100 === round % 100;
        batch.push({ name: 'cpu', tags: series[j]!, value: hot ? 95 : 20 + rand() * 50, ts: base + Math.floor((j / series.length) * 10_000) });
      }
      const fx = new BatchEffects();
      const t0 = performance.now();
      e.evaluate(batch, fx, [], 'bench', 0);
      elapsed += performance.now() - t0;
      points += batch.length;
      transitions += fx.events.length;
    }
  }
  return { pointsPerSec: Math.round(points / (elapsed / 1000)), transitions };
}

function throughput(kind: 'point' | 'step'): void {
  const rules = Array.from({ length: 10_000 }, (_, i) =>
    kind === 'point' ? `rule r${i} { when cpu{sel="s${i}"} > 90 by (host) }` : `rule r${i} { when max(cpu{sel="s${i}"}) by (host) > 90 step 1m }`,
  ).join('\n');
  const e = evaluator(compileRules(rules));
  const series = makeSeries(10_000);
  run(e, series, 3); // warm-up: JIT and first-seen groups
  const { pointsPerSec, transitions } = run(e, series, 30);
  process.stdout.write(`${kind} rules: ${pointsPerSec.toLocaleString('en')} points/s (${transitions} transitions)\n`);
  report({ bench: 'evaluate', name: `core evaluation, 10k ${kind} rules over 100k series`, value: pointsPerSec, unit: 'points/s', target: '≥ 1,000,000 points/s', met: pointsPerSec >= 1_000_000, detail: { transitions } });
}

function routing(): void {
  const figures: number[] = [];
  for (const count of [100, 100_000]) {
    const rules = Array.from({ length: count }, (_, i) => `rule r${i} { when cpu{sel="s${i}"} > 90 by (host) }`).join('\n');
    const e = evaluator(compileRules(rules));
    const series = makeSeries(count);
    run(e, series, 3);
    const { pointsPerSec } = run(e, series, 20);
    figures.push(pointsPerSec);
    process.stdout.write(`${count} rules: ${pointsPerSec.toLocaleString('en')} points/s\n`);
  }
  const ratio = figures[1]! / figures[0]!;
  report({ bench: 'evaluate', name: 'routing: points/s with 100k rules / with 100 rules', value: Math.round(ratio * 100) / 100, unit: '×', target: '≥ 0.7', met: ratio >= 0.7, detail: { with100: figures[0], with100k: figures[1] } });
}

function memory(kind: 'point' | 'step'): void {
  const instances = 1_000_000;
  const rule = kind === 'point' ? 'rule hot { when cpu > 90 by (host) }' : 'rule hot { when max(cpu) by (host) > 90 step 1m }';
  const e = evaluator(compileRules(rule));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let start = 0; start < instances; start += BATCH) {
    const batch: DataPoint[] = [];
    for (let j = start; j < start + BATCH; j++) batch.push({ name: 'cpu', tags: { host: `h${j}` }, value: 95, ts: T0 + 1000 });
    e.evaluate(batch, new BatchEffects(), [], 'bench', 0);
  }
  // Close the step so step groups hold what they hold between steps (history, machine), not an open bucket.
  if (kind === 'step') e.evaluate([{ name: 'other', tags: {}, value: 0, ts: T0 + 61_000 }], new BatchEffects(), [], 'bench', 0);
  global.gc?.();
  const perInstance = Math.round((process.memoryUsage().heapUsed - before) / instances);
  process.stdout.write(`${kind} rule: ${perInstance} B heap per resident instance (${e.residentCount().toLocaleString('en')} resident)\n`);
  report({ bench: 'evaluate', name: `heap per resident alert instance (${kind} rule, 1M instances)`, value: perInstance, unit: 'B', target: '≤ 512 B', met: perInstance <= 512 });
}

const only = process.env.BENCH_ONLY;
if (!only || only === 'throughput') {
  throughput('point');
  throughput('step');
}
if (!only || only === 'routing') routing();
if (!only || only === 'memory') {
  memory('point');
  memory('step');
}
