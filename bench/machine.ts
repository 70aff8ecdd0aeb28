/** The machine a benchmark ran on, printed with every figure. */
import { cpus, totalmem, type as osType, release } from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

export function describeMachine(m: Machine = machine()): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`;
}

/** One measured figure. Benchmarks print it as a `RESULT {json}` line for bench/run.ts to collect. */
export interface BenchResult {
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target the issue set, in words, e.g. "≤ 2 s". */
  readonly target?: string;
  readonly met?: boolean;
  readonly detail?: Record<string, unknown>;
}

export function report(r: BenchResult): void {
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}
