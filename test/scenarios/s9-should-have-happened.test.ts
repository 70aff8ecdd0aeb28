/**
 * S9 — Something that should have happened did not (the evaluation half; the
 * inhibition of a failing node's cluster comes with the correlate stage).
 * `backup_job_too_long`: a `job.started` without a `job.finished` of the same
 * job id within 2h. `node_heartbeat_lost`: a node whose heartbeats stopped for
 * 5 minutes (no data on a heartbeat count). Both rules are applied together.
 */
import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../../src/api/index.js';
import { scenarioRules } from '../language/scenario-rules.js';
import { at, event, timeline, useScenarios } from '../support/scenario-harness.js';

describe('S9 something that should have happened did not', () => {
  const start = useScenarios();

  it.each([
    { restart: false, title: '' },
    { restart: true, title: ' (with a restart while the jobs run)' },
  ])('backup_job_too_long fires 2h after a start without its finish, and resolves when the finish comes late$title', async ({ restart }) => {
    // The job id is a field, except for j3 which carries it as a tag: the rule's `by (job_id)` reads either.
    const job = (type: string, id: string, time: string, asTag = false): EventMsg =>
      asTag ? event(type, { cluster: 'c1', job_id: id }, {}, at(time)) : event(type, { cluster: 'c1' }, { job_id: id }, at(time));
    const scenario = await start({ rules: scenarioRules.S9! });
    await scenario.send({ events: [job('job.started', 'j1', '0:00:00'), job('job.started', 'j2', '0:10:00'), job('job.started', 'j3', '0:20:00', true)] });
    await scenario.send({ events: [job('job.started', 'j2', '0:30:00')] }); // j2 is already running: changes nothing
    await scenario.send({ events: [job('job.finished', 'j1', '1:30:00'), job('job.finished', 'j9', '1:40:00')] }); // j9 never started
    if (restart) await scenario.restart(); // the running jobs' deadlines are durable
    // The watermark jumps to 02:20: j2's deadline (02:10), then j3's (02:20), then j3's finish, also at 02:20.
    await scenario.send({ events: [job('job.finished', 'j3', '2:20:00', true)] });
    await scenario.send({ events: [job('job.finished', 'j2', '3:00:00')] });
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule                 alert      transition
        00:00:00  backup_job_too_long  job_id=j1  inactive -> pending
        00:10:00  backup_job_too_long  job_id=j2  inactive -> pending
        00:20:00  backup_job_too_long  job_id=j3  inactive -> pending
        01:30:00  backup_job_too_long  job_id=j1  pending  -> inactive  # finished within 2h
        02:10:00  backup_job_too_long  job_id=j2  pending  -> firing    # 00:10 + 2h (its second start did not move the deadline)
        02:20:00  backup_job_too_long  job_id=j3  pending  -> firing    # 00:20 + 2h: the finish at 02:20 is not strictly before
        02:20:00  backup_job_too_long  job_id=j3  firing   -> resolved  # ... and resolves it at once
        03:00:00  backup_job_too_long  job_id=j2  firing   -> resolved  # finished, 50 minutes late
      `),
    );
  });

  it('node_heartbeat_lost fires for a node 5 minutes after its last heartbeat, and resolves when heartbeats return', async () => {
    /**
     * Heartbeats every 30 s. n1 beats from 00:00:00 to 00:11:00; n2 until 00:03:30, then
     * again at 00:10:15 and 00:10:45. n1's beats move the watermark past n2's deadline.
     */
    const beat = (node: string, ms: number): EventMsg => event('heartbeat', { cluster: 'c1', node }, {}, ms);
    const scenario = await start({ rules: scenarioRules.S9! });
    for (let t = at('0:00:00'); t <= at('0:11:00'); t += 30_000) {
      const n2 = t <= at('0:03:30') ? [beat('n2', t)] : t === at('0:10:00') || t === at('0:10:30') ? [beat('n2', t + 15_000)] : [];
      await scenario.send({ events: [beat('n1', t), ...n2] });
    }
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule                 alert              transition
        00:08:30  node_heartbeat_lost  cluster=c1,node=n2  inactive -> firing    # last heartbeat 00:03:30 + 5m
        00:11:00  node_heartbeat_lost  cluster=c1,node=n2  firing   -> resolved  # step 10 counted 2 heartbeats again
      `),
    );
    expect(await scenario.noDataRows()).toEqual(['00:08:30 node_heartbeat_lost cluster=c1,node=n2 inactive -> firing']);
  });

  it('node_heartbeat_lost fires on time when all input stops, once the silent source is idle on the wall clock', async () => {
    // The node is the only input: nothing but the wall clock can move the watermark past its deadline.
    // The agent stamps heartbeats with the wall clock, so both clocks agree while it runs.
    const scenario = await start({ rules: scenarioRules.S9!, idleSourceMs: 30_000 });
    const beat = async (time: string): Promise<void> => {
      scenario.clock.set(at(time));
      await scenario.send({ events: [event('heartbeat', { cluster: 'c1', node: 'n1' }, {}, at(time))] });
    };
    for (const time of ['0:00:00', '0:00:30', '0:01:00', '0:01:30', '0:02:00', '0:02:30', '0:03:00', '0:03:30']) await beat(time);
    expect(await scenario.tickAt(at('0:08:29'))).toBe(0); // idle since 00:04:00: the watermark follows the wall clock
    expect(await scenario.tickAt(at('0:08:30'))).toBe(2); // last heartbeat 00:03:30 + 5m: the node's alert, and the cluster's own unreachable alert
    for (const time of ['0:10:15', '0:10:45', '0:11:15']) await beat(time);
    expect(await scenario.rows()).toEqual(
      timeline(`
        time      rule                 alert               transition
        00:08:30  node_heartbeat_lost        cluster=c1,node=n1  inactive -> firing    # no heartbeat for 5m, and no input at all
        00:08:30  vigil:cluster_unreachable  cluster=c1          inactive -> firing    # the cluster's heartbeat timeout (correlate, 5m)
        00:10:15  vigil:cluster_unreachable  cluster=c1          firing   -> resolved  # the first heartbeat back
        00:11:00  node_heartbeat_lost        cluster=c1,node=n1  firing   -> resolved  # step 10 counted 2 heartbeats again
      `),
    );
  });
});
