/** Runs a `vigil` command that keeps going (alerts watch), reads its output lines, then stops it with Ctrl-C. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../support/vigil-process.js';

export class FollowingCli {
  readonly lines: string[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];
  private exited = false;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.wake();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      this.wake();
    });
    this.child.once('exit', () => {
      this.exited = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves once `n` lines were printed; rejects if the command exits first. */
  async waitForLines(n: number): Promise<string[]> {
    while (this.lines.length < n && !this.exited) await new Promise<void>((r) => this.waiters.push(r));
    if (this.lines.length < n) throw new Error(`vigil exited after ${this.lines.length} lines: ${this.stderr}`);
    return this.lines;
  }

  /** Ctrl-C, then the exit code. */
  async interrupt(): Promise<number | null> {
    if (this.exited) return this.child.exitCode;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGINT');
    const [code] = (await exit) as [number | null];
    return code;
  }
}
