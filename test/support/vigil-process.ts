/**
 * Runs the real `vigil` CLI from source (through tsx) as a child process:
 * `serve` on an ephemeral port with a temp data dir, and one-shot client commands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainTs = join(repoRoot, 'src', 'cli', 'main.ts');
const nodeArgs = ['--import', 'tsx', mainTs];

export interface ServerProcess {
  readonly address: string;
  readonly child: ChildProcess;
  /** Every log line the server printed, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `vigil serve` and resolves once it logs the address it bound. */
export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, 'serve', '--listen', '127.0.0.1:0', '--metrics-listen', '', '--rules-dir', '', '--data-dir', dataDir, ...extraArgs],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'vigil serving') resolve(String(entry.grpc));
      } catch {
        logs.push({ raw: line });
      }
    });
    child.once('exit', (code) => reject(new Error(`vigil serve exited with ${code} before serving: ${stderr}`)));
  });
  return {
    address,
    child,
    logs,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one `vigil …` command to completion. */
export async function runCli(args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
