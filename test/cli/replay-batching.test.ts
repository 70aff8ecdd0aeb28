import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/core/index.js';
import { readDataFile, runReplay, type ReplayItem } from '../../src/replay/index.js';
import { repoRoot } from '../support/vigil-process.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'replay');

async function items(): Promise<ReplayItem[]> {
  const out: ReplayItem[] = [];
  for await (const i of readDataFile(join(fixtures, 'data.ndjson'))) out.push(i);
  return out;
}

async function run(batchItems: number, allowedLatenessMs: number): Promise<{ transitions: string[]; late: number }> {
  const seen: AlertEvent[] = [];
  const s = await runReplay(await items(), { rules: readFileSync(join(fixtures, 'rules.vigil'), 'utf8'), batchItems, allowedLatenessMs, untilAfterLastMs: 300_000 }, (e) => seen.push(e));
  return { transitions: seen.map((e) => `${e.ts} ${e.alert} ${e.from}>${e.to}`), late: s.late };
}

describe('replay core', () => {
  it('gives the same transitions and late counts whatever the batch size', async () => {
    for (const lateness of [0, 30_000]) {
      const one = await run(1, lateness);
      expect(await run(3, lateness)).toEqual(one);
      expect(await run(1000, lateness)).toEqual(one);
    }
  });

  it('leaves no temporary data directory behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vigil-replay-parent-'));
    try {
      await runReplay(await items(), { rules: 'rule r { when ping_ms > 1 }', tmpDir: parent }, () => undefined);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
