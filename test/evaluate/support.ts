/** A real engine on a temp LMDB directory, with helpers to feed it minutes and read its transitions. */
import { ManualClock, type DataPoint, type VigilEvent } from '../../src/core/index.js';
import { Engine, type EngineOptions } from '../../src/engine.js';
import { tempDir } from '../support/temp-dir.js';

export const T0 = Date.UTC(2026, 0, 1);
export const MIN = 60_000;

/** A point at `T0 + minutes`. */
export const pt = (name: string, tags: Record<string, string>, value: number, minutes: number): DataPoint => ({ name, tags, value, ts: T0 + minutes * MIN });
export const ev = (type: string, tags: Record<string, string>, minutes: number, fields: Record<string, string> = {}): VigilEvent => ({ type, tags, fields, ts: T0 + minutes * MIN });

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
  /** Transitions as `alert from->to @minutes`. */
  transitions(): string[];
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export async function openEngine(rules: string, options: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dir = tempDir();
  const clock = new ManualClock(T0);
  const open = (): Engine => Engine.open({ dataDir: dir.path, clock, ...options });
  const t: TestEngine = {
    engine: open(),
    clock,
    transitions: () => t.engine.readEvents(0, 10_000).map((e) => `${e.alert.slice('alert/'.length)} ${e.from}->${e.to} @${(e.ts - T0) / MIN}`),
    async reopen() {
      await t.engine.close();
      t.engine = open();
    },
    async close() {
      await t.engine.close();
      dir.remove();
    },
  };
  await t.engine.applyRules(rules);
  return t;
}
