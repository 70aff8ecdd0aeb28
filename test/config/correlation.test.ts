import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { tempDir } from '../support/temp-dir.js';

describe('config: correlate section', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const load = (name: string, yaml: string, env: NodeJS.ProcessEnv = {}) => {
    const file = join(dir.path, name);
    writeFileSync(file, yaml);
    return { file, config: () => loadConfig({ file, env }) };
  };

  it('defaults to a 2 h upgrade time-out, 5 min heartbeats, the cluster tag and no inhibition rules', () => {
    expect(loadConfig({ env: {} }).correlate).toEqual({ upgradeTimeoutMs: 7_200_000, heartbeatTimeoutMs: 300_000, clusterTag: 'cluster', inhibitions: [] });
  });

  it('reads time-outs from file and environment, and inhibition rules with matchers as text or as fields', () => {
    const { config } = load(
      'a.yaml',
      [
        'correlate:',
        '  upgradeTimeoutMs: 3600000',
        '  clusterTag: site',
        '  inhibitions:',
        '    - name: critical-over-warning',
        '      source: ["severity=critical"]',
        '      target: [{ label: severity, op: "=", value: warning }, "alertname=~\\"disk.*\\""]',
        '      equal: [cluster]',
        '',
      ].join('\n'),
      { VIGIL_HEARTBEAT_TIMEOUT_MS: '0' },
    );
    expect(config().correlate).toEqual({
      upgradeTimeoutMs: 3_600_000,
      heartbeatTimeoutMs: 0,
      clusterTag: 'site',
      inhibitions: [
        {
          name: 'critical-over-warning',
          source: [{ label: 'severity', op: '=', value: 'critical' }],
          target: [
            { label: 'severity', op: '=', value: 'warning' },
            { label: 'alertname', op: '=~', value: 'disk.*' },
          ],
          equal: ['cluster'],
        },
      ],
    });
  });

  it('refuses an inhibition rule it cannot use, naming the file and the entry', () => {
    const noSource = load('b.yaml', 'correlate:\n  inhibitions:\n    - { name: x, target: ["a=b"] }\n');
    expect(() => noSource.config()).toThrow(`${noSource.file}: correlate.inhibitions[0].source: must be a non-empty list`);
    const badMatcher = load('c.yaml', 'correlate:\n  inhibitions:\n    - { name: x, source: ["severity critical"], target: ["a=b"] }\n');
    expect(() => badMatcher.config()).toThrow('correlate.inhibitions[0].source[0]: "severity critical" is not a matcher');
    const typo = load('d.yaml', 'correlate:\n  inhibitions:\n    - { name: x, source: ["a=b"], target: ["a=c"], equals: [cluster] }\n');
    expect(() => typo.config()).toThrow('correlate.inhibitions[0]: unknown key "equals"');
  });
});
