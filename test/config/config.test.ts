import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { tempDir } from '../support/temp-dir.js';

describe('config', () => {
  const dir = tempDir();
  afterEach(() => undefined);
  afterAll(() => dir.remove());

  it('uses the embedded defaults when nothing is set', () => {
    expect(loadConfig({ file: undefined, env: {} , overrides: {} }).grpc.listen).toBe(defaultConfig.grpc.listen);
  });

  it('applies file, then environment, then flags', () => {
    const file = join(dir.path, 'a.yaml');
    writeFileSync(file, 'dataDir: /from/file\ngrpc:\n  listen: 0.0.0.0:1\ningest:\n  allowedLatenessMs: 5\n');
    const c = loadConfig({ file, env: { VIGIL_GRPC_LISTEN: '127.0.0.1:2' }, overrides: { dataDir: '/from/flag' } });
    expect(c).toMatchObject({ dataDir: '/from/flag', grpc: { listen: '127.0.0.1:2' }, ingest: { allowedLatenessMs: 5 } });
  });

  it('names the unknown key and where it came from', () => {
    const file = join(dir.path, 'b.yaml');
    writeFileSync(file, 'grpc:\n  lisen: x\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(`${file}: unknown key "grpc.lisen"`);
    expect(() => loadConfig({ env: { VIGIL_ALLOWED_LATENESS_MS: 'soon' } })).toThrow('VIGIL_ALLOWED_LATENESS_MS: "ingest.allowedLatenessMs" must be a non-negative number');
  });

  it('fails clearly when a named config file is missing', () => {
    expect(() => loadConfig({ file: join(dir.path, 'nope.yaml'), env: {} })).toThrow(/does not exist/);
  });

  it('reads lateness per source prefix and the idle-source time, and names a bad entry', () => {
    const file = join(dir.path, 'c.yaml');
    writeFileSync(file, 'ingest:\n  idleSourceMs: 5000\n  sources:\n    - prefix: "kafka:probes/"\n      allowedLatenessMs: 120000\n');
    expect(loadConfig({ file, env: {} }).ingest).toMatchObject({ idleSourceMs: 5000, sources: [{ prefix: 'kafka:probes/', allowedLatenessMs: 120000 }] });
    writeFileSync(file, 'ingest:\n  sources:\n    - prefix: "grpc:"\n      lateness: 5\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(`${file}: ingest.sources[0]: "allowedLatenessMs" must be a non-negative number`);
    expect(loadConfig({ env: { VIGIL_IDLE_SOURCE_MS: '0' } }).ingest.idleSourceMs).toBe(0);
  });
});
