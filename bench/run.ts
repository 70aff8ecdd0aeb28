/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts in its own process
 * (so one benchmark's heap does not skew another's), collects their RESULT
 * lines, prints a table and writes bench/results/<date>.json.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describeMachine, machine, type BenchResult } from './machine.js';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

const results: BenchResult[] = [];
const failures: string[] = [];
process.stdout.write(`Machine: ${describeMachine()}\n`);
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(here, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('RESULT ')) results.push(JSON.parse(line.slice(7)) as BenchResult);
    else process.stdout.write(`${line}\n`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) failures.push(`${file} exited with ${code}`);
}

const rows = results.map((r) => [r.bench, r.name, `${r.value} ${r.unit}`, r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['bench', 'figure', 'measured', 'target', 'met'], ...rows].map((r) => r[i]!.length)));
process.stdout.write('\n');
for (const r of [['bench', 'figure', 'measured', 'target', 'met'], ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
const out = join(here, 'results', `${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), results, failures }, null, 2)}\n`);
process.stdout.write(`\nwritten ${out}\n`);
for (const f of failures) process.stderr.write(`bench failed: ${f}\n`);
if (failures.length > 0) process.exitCode = 1;
