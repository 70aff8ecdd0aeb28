import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/vigil-process.js';
import { tempDir } from '../support/temp-dir.js';

describe('vigil demo', () => {
  it('runs to completion and tells the same story every run: what fired, what people were told, what was suppressed and why', async () => {
    const dir = tempDir();
    try {
      const r = await runCli(['demo', '--listen', '127.0.0.1:0', '--metrics-listen', '', '--data-dir', join(dir.path, 'demo'), '--tick-ms', '0', '--settle-ms', '800']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[1]).toBe('Rules from config/rules: customer_stopped_sending, error_ratio, high_cpu, high_ping, kernel_oops, queue_latency');
      const start = lines.indexOf('') + 1;
      expect(lines.slice(start, lines.indexOf('', start))).toEqual([
      '07:02:00  inactive → firing    high_ping {agent=a2,target=t1,team=network} value=753',
      '          ✉ people told: FIRING high_ping {agent=a2,target=t1}',
      '07:04:00  firing → resolved    high_ping {agent=a2,target=t1,team=network} value=21',
      '07:04:00  inactive → pending   high_cpu {cluster=c1,node=n2} value=96',
      '          ✉ people told: RESOLVED high_ping {agent=a2,target=t1}',
      '07:05:00  ▶ customer globex stops sending messages',
      '07:05:00  pending → firing     high_cpu {cluster=c1,node=n2} value=96',
      '          ✉ people told: FIRING high_cpu {cluster=c1}',
      '07:07:00  firing → resolved    high_cpu {cluster=c1,node=n2} value=47',
      '          ✉ people told: RESOLVED high_cpu {cluster=c1}',
      '07:10:00  ▶ event cluster.upgrade.started {cluster=c2}: what c2 raises now is recorded, but nobody is told',
      '07:11:00  inactive → pending   high_cpu {cluster=c2,node=n1} value=98',
      '07:12:00  pending → firing     high_cpu {cluster=c2,node=n1} value=98',
      '          ⏸ suppressed: cluster/c2 is upgrading since 2026-11-23T07:10:00.000Z until 2026-11-23T09:10:00.000Z by event',
      '07:14:00  inactive → firing    error_ratio {cluster=c2} value=66.25',
      '          ⏸ suppressed: cluster/c2 is upgrading since 2026-11-23T07:10:00.000Z until 2026-11-23T09:10:00.000Z by event',
      '07:14:00  firing → resolved    high_cpu {cluster=c2,node=n1} value=60',
      '07:14:30  inactive → firing    customer_stopped_sending {customer=globex} (no data)',
      '          ✉ people told: FIRING customer_stopped_sending {customer=globex}',
      '07:16:00  ▶ event cluster.upgrade.finished {cluster=c2}: alerts of c2 still true are released',
      '          ✉ people told: FIRING error_ratio {cluster=c2} (released: the upgrade of c2 ended and it still fires)',
      '07:20:00  ▶ event log {cluster=c1,signature=kernel-oops}',
      '07:21:00  ▶ event log {cluster=c3,signature=kernel-oops}',
      '07:21:00  inactive → firing    kernel_oops {cluster=c1} value=1',
      '          ✉ incident kernel-oops opened (c1 joined): c1 firing',
      '07:21:30  ▶ event log {cluster=c1,signature=kernel-oops}',
      '07:22:00  firing → resolved    error_ratio {cluster=c2} value=2',
      '07:22:00  inactive → firing    kernel_oops {cluster=c3} value=1',
      '          ✉ people told: RESOLVED error_ratio {cluster=c2}',
      '          ✉ incident kernel-oops members-changed (c3 joined): c1 firing, c3 firing',
      '07:23:00  ▶ queue q1 latency starts to cross 200 ms on and off',
      '07:24:00  inactive → firing    queue_latency {queue=q1} value=276',
      '          ✉ people told: FIRING queue_latency {queue=q1}',
      '07:25:00  firing → resolved    queue_latency {queue=q1} value=114',
      '          ✉ people told: RESOLVED queue_latency {queue=q1}',
      '07:26:00  resolved → firing    queue_latency {queue=q1} value=263',
      '          ✉ people told: FIRING queue_latency {queue=q1}',
      ]);
      const summary = lines.slice(lines.findIndex((l) => l.startsWith('What happened')));
      expect(summary).toContain('  told        10 alert notification(s) and 1 incident(s), to the receivers below');
      expect(summary.filter((l) => l.startsWith('  suppressed'))).toEqual([
        expect.stringMatching(/^ {2}suppressed {2}high_cpu \{cluster=c2,node=n1\}: cluster\/c2 is upgrading .* → cleared while held: never notified$/),
        expect.stringMatching(/^ {2}suppressed {2}error_ratio \{cluster=c2\}: cluster\/c2 is upgrading .* → released and notified when the upgrade ended$/),
      ]);
      expect(summary).toContainEqual(expect.stringMatching(/^ {2}flapping {4}queue_latency \{queue=q1\}: .*held firing/));
      expect(summary).toContainEqual(expect.stringMatching(/^ {2}no data {5}customer_stopped_sending \{customer=globex\}: /));
      // The dead receiver: every attempt fails and is retried; the live one gets everything.
      const pager = summary.find((l) => l.startsWith('  pager'))!;
      expect(pager).toMatch(/^ {2}pager +sent 0 · failed attempts [1-9]\d* · retried [1-9]\d* · .*ECONNREFUSED/);
      expect(summary.find((l) => l.startsWith('  ops-webhook'))).toMatch(/^ {2}ops-webhook +sent [1-9]\d* · failed attempts 0 /);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
