/**
 * Rule language benchmark: parse + check + compile of 10,000 generated rules,
 * as one file and as 10,000 separate sources (the way a generator applying
 * rules one by one would). Run with `npx tsx bench/language.bench.ts`.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileSource } from '../src/language/index.js';

const RULES = 10_000;

/** Varied shapes, like a team generating alerts per service and cluster. */
function rule(i: number): string {
  const app = `app_${i % 97}`;
  switch (i % 5) {
    case 0:
      return `rule ping_${i} {\n  when ping_ms{target="${app}"} > ${200 + (i % 300)}\n  by (agent, target)\n  for 1m\n  severity warning\n  labels { team = "net" }\n}\n`;
    case 1:
      return `rule ratio_${i} {\n  when sum(errors{app="${app}"}) by (cluster) / sum(rps{app="${app}"}) by (cluster) * 100 > 50\n  step 1m\n  for 4 of 5 steps\n  severity critical\n  annotations { summary = "{{ $value }}% errors on {{ $labels.cluster }}" }\n  notify pagerduty\n}\n`;
    case 2:
      return `rule throughput_${i} {\n  when rate(processed{app="${app}"}) by (customer) < 0.5 * (rate(processed{app="${app}"}) by (customer) offset 1h)\n  for 10m\n  no data for 10m\n}\n`;
    case 3:
      return `rule queue_${i} {\n  when growing(max(queue_depth{queue=~"${app}.*"}) by (queue), 3) and avg_over(max(queue_age{queue=~"${app}.*"}) by (queue), 5m) > 300\n  clear when avg_over(max(queue_age{queue=~"${app}.*"}) by (queue), 5m) < 60\n  scope queue\n}\n`;
    default:
      return `rule oops_${i} {\n  when count(event log{signature="sig-${i % 50}", app="${app}"}) by (cluster) > 0\n  keep firing for 30m\n  signature "sig-${i % 50}"\n  scope cluster\n  notify ticket\n}\n`;
  }
}

const sources = Array.from({ length: RULES }, (_, i) => rule(i));
const file = sources.join('\n');

function time(label: string, run: () => number): number {
  const start = performance.now();
  const compiled = run();
  const ms = performance.now() - start;
  if (compiled !== RULES) throw new Error(`${label}: compiled ${compiled} of ${RULES} rules`);
  console.log(`${label.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms  (${((RULES / ms) * 1000).toFixed(0)} rules/s)`);
  return ms;
}

function oneFile(): number {
  const r = compileSource(file);
  if (r.diagnostics.length > 0) throw new Error(JSON.stringify(r.diagnostics[0]));
  return r.rules.length;
}

function separately(): number {
  let n = 0;
  for (const s of sources) n += compileSource(s).rules.length;
  return n;
}

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, Node ${process.version}`);
console.log(`rules: ${RULES} (${(file.length / 1024).toFixed(0)} KiB of text)`);
// The first run pays for JIT warm-up; a long-running server compiles warm.
time('cold: one file of 10,000 rules', oneFile);
const runs = [1, 2, 3].map(() => time('warm: one file of 10,000 rules', oneFile));
const separate = [1, 2, 3].map(() => time('warm: 10,000 sources compiled one by one', separately));
console.log(`best: one file ${Math.min(...runs).toFixed(0)} ms, one by one ${Math.min(...separate).toFixed(0)} ms (target < 2000 ms)`);
