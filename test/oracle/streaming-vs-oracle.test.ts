import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/index.js';
import { Engine } from '../../src/engine.js';
import { compileSource } from '../../src/language/index.js';
import { tempDir } from '../support/temp-dir.js';
import { describeCase, ruleFile, stream, T0, type StreamCase } from './arbitraries.js';
import type { OracleTransition } from './model.js';
import { runOracle } from './oracle.js';

/** Per alert instance, its transitions in order; the interleaving of different alerts at one instant is not compared. */
function perAlert(transitions: readonly OracleTransition[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of transitions) (out[t.alert] ??= []).push(`${t.from}->${t.to} @${(t.ts - T0) / 1000}s`);
  return out;
}

interface Outcome {
  readonly transitions: Record<string, string[]>;
  readonly latePerBatch: readonly number[];
}

async function streaming(rules: string, c: StreamCase): Promise<Outcome> {
  const dir = tempDir('vigil-oracle-');
  // The clock never moves: no source turns idle, the watermark is driven by event time alone.
  const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(T0), allowedLatenessMs: c.allowedLatenessMs });
  try {
    await engine.applyRules(rules);
    const latePerBatch: number[] = [];
    for (const b of c.batches) latePerBatch.push((await engine.ingestBatch({ source: b.source, points: b.points, events: b.events ?? [] })).late);
    return { transitions: perAlert(engine.readEvents(0, 1_000_000)), latePerBatch };
  } finally {
    await engine.close();
    dir.remove();
  }
}

function naive(rules: string, c: StreamCase): Outcome {
  const irs = compileSource(rules).rules.map((r) => r.ir);
  const res = runOracle(irs, c.batches, { allowedLatenessMs: c.allowedLatenessMs });
  return { transitions: perAlert(res.transitions), latePerBatch: res.latePerBatch };
}

describe('streaming evaluation against the naive oracle', () => {
  it('gives every alert instance the transitions the oracle derives, for random rules and shuffled, batched streams', async () => {
    await fc.assert(
      fc.asyncProperty(ruleFile(), stream, async (rules, c) => {
        const expected = naive(rules, c);
        const actual = await streaming(rules, c);
        expect(actual, describeCase(rules, c)).toEqual(expected);
      }),
      { numRuns: Number(process.env.ORACLE_RUNS ?? 40) },
    );
  });
});
