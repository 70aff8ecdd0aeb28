import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/vigil-process.js';

const fixtures = join('test', 'fixtures', 'replay');
const rules = join(fixtures, 'rules.vigil');
const data = join(fixtures, 'data.ndjson');
const bad = join(fixtures, 'bad.ndjson');

describe('vigil replay', () => {
  it('prints each transition in event time, with steps closed up to --until', async () => {
    const r = await runCli(['replay', '--rules', rules, '--data', data, '--lateness', '30s', '--until', '+5m']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '2026-11-23T07:00:30.000Z  inactive → firing    high_ping {agent=a1,target=t1}  value=720',
      '2026-11-23T07:01:45.000Z  firing → resolved    high_ping {agent=a1,target=t1}  value=95',
      '2026-11-23T07:02:00.000Z  inactive → firing    error_ratio {cluster=c1}  value=60',
      '2026-11-23T07:04:00.000Z  firing → resolved    error_ratio {cluster=c1}  value=-',
      'replayed 10 point(s) and 1 event(s) from 2026-11-23T07:00:05.000Z to 2026-11-23T07:02:20.000Z: 4 transition(s), 1 late; watermark 2026-11-23T07:07:20.000Z',
      '',
    ]);
  });

  it('counts items behind the watermark as late and leaves open steps open without --until', async () => {
    const r = await runCli(['replay', '--rules', rules, '--data', data]);
    expect(r.code).toBe(0);
    // Without lateness the errors point of 07:01:05 (after rps at 07:01:10) and the ping of 07:00:50 are late,
    // so the 07:01 step has no error ratio and error_ratio never holds for 2 of 3 steps.
    expect(r.stdout.split('\n')).toEqual([
      '2026-11-23T07:00:30.000Z  inactive → firing    high_ping {agent=a1,target=t1}  value=720',
      '2026-11-23T07:01:45.000Z  firing → resolved    high_ping {agent=a1,target=t1}  value=95',
      'replayed 10 point(s) and 1 event(s) from 2026-11-23T07:00:05.000Z to 2026-11-23T07:02:20.000Z: 2 transition(s), 2 late; watermark 2026-11-23T07:02:20.000Z',
      '',
    ]);
  });

  it('prints one JSON object per transition with --json, the summary on stderr', async () => {
    const r = await runCli(['replay', '--json', '--rules', rules, '--data', data, '--lateness', '30s', '--until', '2026-11-23T07:10:00Z']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { time: '2026-11-23T07:00:30.000Z', ts: 1795417230000, rule: 'high_ping', alert: 'alert/high_ping/agent=a1,target=t1', labels: { agent: 'a1', target: 't1' }, from: 'inactive', to: 'firing', value: 720, severity: 'warning' },
      { time: '2026-11-23T07:01:45.000Z', ts: 1795417305000, rule: 'high_ping', alert: 'alert/high_ping/agent=a1,target=t1', labels: { agent: 'a1', target: 't1' }, from: 'firing', to: 'resolved', value: 95, severity: 'warning' },
      { time: '2026-11-23T07:02:00.000Z', ts: 1795417320000, rule: 'error_ratio', alert: 'alert/error_ratio/cluster=c1', labels: { cluster: 'c1' }, from: 'inactive', to: 'firing', value: 60, severity: 'critical' },
      { time: '2026-11-23T07:04:00.000Z', ts: 1795417440000, rule: 'error_ratio', alert: 'alert/error_ratio/cluster=c1', labels: { cluster: 'c1' }, from: 'firing', to: 'resolved', value: null, severity: 'critical' },
    ]);
    expect(r.stderr).toContain('4 transition(s), 1 late; watermark 2026-11-23T07:10:00.000Z');
  });

  it('stops at a bad line with FILE:LINE:COLUMN, after the transitions of the lines before it', async () => {
    const r = await runCli(['replay', '--rules', rules, '--data', bad]);
    expect(r.code).toBe(1);
    const line2 = readFileSync(join(repoRoot, bad), 'utf8').split('\n')[1]!;
    const column = line2.indexOf('"high"') + 1;
    expect(r.stderr).toBe(`vigil: ${bad}:2:${column}: value: must be a finite number, got high\n`);
    expect(r.stdout).toBe('2026-11-23T07:00:30.000Z  inactive → firing    high_ping {agent=a1,target=t1}  value=720\n');
  });

  it('reports every bad line and goes on with --skip-invalid', async () => {
    const r = await runCli(['replay', '--rules', rules, '--data', bad, '--skip-invalid']);
    expect(r.code).toBe(0);
    const located = r.stderr
      .trim()
      .split('\n')
      .map((l) => /bad\.ndjson:(\d+:\d+): ([^:]+)/.exec(l)?.slice(1));
    expect(located).toEqual([
      ['2:71', 'value'],
      ['4:61', 'not JSON'],
      ['5:55', 'tags.target'],
      ['6:81', 'ts'],
    ]);
    expect(r.stdout).toContain('2 transition(s), 0 late, 4 bad line(s) skipped');
  });

  it('points at the rule file for a rule that does not compile', async () => {
    const r = await runCli(['replay', '--rules', join(fixtures, 'broken.vigil'), '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vigil: ${join(fixtures, 'broken.vigil')}:3:1: unexpected '}' (RULE_SYNTAX)\n`);
    expect(r.stdout).toBe('');
  });
});
