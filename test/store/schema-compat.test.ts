import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/index.js';
import { Engine } from '../../src/engine.js';
import { DATA_SCHEMA_VERSION, Store } from '../../src/store/index.js';
import { repoRoot } from '../support/vigil-process.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 0, 1);

describe('data directory compatibility', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    cpSync(join(repoRoot, 'test', 'fixtures', 'data-v1'), dir.path, { recursive: true });
  });
  afterEach(() => dir.remove());

  it('loads a schema-1 data directory, marks it with the current schema, and continues exactly where it stopped', async () => {
    const engine = Engine.open({ dataDir: dir.path, clock: new ManualClock(0) });
    expect(engine.store.schemaVersion()).toBe(DATA_SCHEMA_VERSION);
    expect(engine.store.meta.get('schema')).toEqual({ version: DATA_SCHEMA_VERSION, upgradedFrom: 1 });
    expect(engine.listRules().map((r) => `${r.name}@${r.version}`)).toEqual(['down@1', 'hot@1']);
    const states = [...engine.store.actors.getRange()].map(({ value }) => `${value.id} ${value.snapshot.state}`);
    expect(states).toEqual(['alert/down/node=n3 firing', 'alert/hot/node=n1 firing', 'alert/hot/node=n2 firing', 'alert/hot/node=n4 pending']);
    // The stored deadline of hot/n4 (+90 s) fires once the watermark passes it; the log continues at sequence 7.
    await engine.ingest('after-upgrade', [{ name: 'cpu', tags: { node: 'n1' }, value: 10, ts: T0 + 95_000 }]);
    expect(engine.readEvents(6, 10).map((e) => `${e.seq} ${e.alert} ${e.from}->${e.to} +${(e.ts - T0) / 1000}s`)).toEqual([
      '7 alert/hot/node=n4 pending->firing +90s',
      '8 alert/hot/node=n1 firing->resolved +95s',
    ]);
    await engine.close();
  });

  it('refuses a data directory written by a newer Vigil, naming both versions', async () => {
    const store = Store.open({ dataDir: dir.path });
    await store.meta.put('schema', { version: DATA_SCHEMA_VERSION + 1 });
    await store.close();
    expect(() => Store.open({ dataDir: dir.path })).toThrow(`written by a newer Vigil (schema ${DATA_SCHEMA_VERSION + 1}); this one reads schema ${DATA_SCHEMA_VERSION} and older`);
  });

  it('loads a schema-2 data directory (open steps, N-of-M window, no-data and sequence deadlines, an upgrading cluster) and continues exactly', async () => {
    const v2 = tempDir();
    try {
      cpSync(join(repoRoot, 'test', 'fixtures', 'data-v2'), v2.path, { recursive: true });
      const engine = Engine.open({ dataDir: v2.path, clock: new ManualClock(T0) });
      expect(engine.store.schemaVersion()).toBe(2);
      expect(engine.clusters().map((c) => `${c.id} ${c.snapshot.state}`)).toEqual(['cluster/c9 upgrading']);
      const p = (name: string, tags: Record<string, string>, value: number, min: number) => ({ name, tags, value, ts: T0 + min * 60_000 });
      await engine.ingest('fixture', [p('rps', { cluster: 'c1' }, 100, 2.5), p('errors', { cluster: 'c1' }, 10, 2.6), p('cpu', { node: 'n1' }, 10, 2.7)]);
      await engine.ingest('fixture', [p('rps', { cluster: 'c1' }, 1, 12)]);
      // See test/fixtures/make-data-v2.ts for what the directory holds.
      expect(engine.readEvents(0, 100).map((e) => `${e.seq} ${e.alert} ${e.from}->${e.to} +${(e.ts - T0) / 1000}s`)).toEqual([
        '1 alert/hot/node=n1 inactive->pending +30s',
        '2 alert/job_late/job_id=j1 inactive->pending +78s',
        '3 alert/hot/node=n1 pending->firing +90s',
        '4 alert/ratio/cluster=c1 inactive->firing +120s',
        '5 alert/hot/node=n1 firing->resolved +162s',
        '6 alert/ratio/cluster=c1 firing->resolved +240s',
        '7 alert/silent/customer=acme inactive->firing +318s',
        '8 alert/job_late/job_id=j1 pending->firing +678s',
      ]);
      await engine.close();
    } finally {
      v2.remove();
    }
  });
});
