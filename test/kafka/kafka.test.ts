/**
 * Kafka integration suite (`npm run test:kafka`), run against a real broker
 * named by KAFKA_BROKERS; skipped with a printed reason without one. Every
 * test creates its own uniquely named topic and group and deletes the topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { tempDir } from '../support/temp-dir.js';
import { T0, appliedMessages, createTopic, flip, kafka, produce, startInstance, startWorker, transitions, uniqueName, waitFor, type Instance } from './support/harness.js';

const enabled = Boolean(process.env.KAFKA_BROKERS);
if (!enabled) console.log('test/kafka skipped: KAFKA_BROKERS is not set (e.g. KAFKA_BROKERS=localhost:9092 npm run test:kafka, with `docker compose up kafka`)');

describe.skipIf(!enabled)('Kafka source against a broker', () => {
  let admin: Admin;
  let producer: Producer;
  const topics: string[] = [];
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const instances: Instance[] = [];

  const topic = async (partitions: number) => {
    const t = await createTopic(admin, partitions);
    topics.push(t);
    return t;
  };
  const dir = () => {
    const d = tempDir('vigil-kafka-');
    dirs.push(d);
    return d.path;
  };
  const start = async (dataDir: string, t: string, group: string) => {
    const i = await startInstance(dataDir, t, group);
    instances.push(i);
    return i;
  };
  const stop = async (i: Instance) => {
    instances.splice(instances.indexOf(i), 1);
    await i.stop();
  };

  beforeAll(async () => {
    const k = kafka();
    admin = k.admin();
    producer = k.producer();
    await admin.connect();
    await producer.connect();
  });

  afterAll(async () => {
    for (const i of instances.splice(0)) await i.stop().catch(() => undefined);
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await producer?.disconnect();
    await admin?.disconnect();
    for (const d of dirs) d.remove();
  });

  it('consumes a 4-partition topic and alerts, committing offsets to Kafka after the state', async () => {
    const t = await topic(4);
    const group = uniqueName('vigil-test-group');
    const vigil = await start(dir(), t, group);
    const clusters = Array.from({ length: 8 }, (_, i) => `c${i}`);
    await produce(producer, t, clusters.map((cluster) => ({ cluster, value: flip(`n-${cluster}`, cluster) })));
    await waitFor('8 messages applied', () => appliedMessages(vigil.engine, t, 4) === 8);
    const seen = transitions(vigil.engine);
    expect(Object.keys(seen)).toHaveLength(8);
    for (const states of Object.values(seen)) expect(states).toEqual(['firing', 'resolved']);
    const used = [0, 1, 2, 3].filter((p) => (vigil.engine.storedOffset(`kafka:${t}/${p}`) ?? 0) > 0);
    expect(used.length).toBeGreaterThan(1);
    await waitFor('Kafka commits to follow the stored offsets', async () => {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [t] });
      return committed!.partitions.every((p) => Number(p.offset) === (vigil.engine.storedOffset(`kafka:${t}/${p.partition}`) ?? -1) || (p.offset === '-1' && vigil.engine.storedOffset(`kafka:${t}/${p.partition}`) === undefined));
    });
    expect(vigil.source.health()).toMatchObject({ healthy: true });
  });

  it('stops and restarts without reprocessing effects', async () => {
    const t = await topic(4);
    const group = uniqueName('vigil-test-group');
    const data = dir();
    let vigil = await start(data, t, group);
    await produce(producer, t, ['a', 'b', 'c', 'd'].map((cluster) => ({ cluster, value: flip(`n-${cluster}`, cluster) })));
    await waitFor('first round applied', () => appliedMessages(vigil.engine, t, 4) === 4);
    const lastSeq = vigil.engine.lastSeq();
    await stop(vigil);
    await produce(producer, t, ['a', 'b', 'c', 'd'].map((cluster) => ({ cluster, value: flip(`m-${cluster}`, cluster, T0 + 60_000) })));
    vigil = await start(data, t, group);
    await waitFor('second round applied', () => appliedMessages(vigil.engine, t, 4) === 8);
    const seen = transitions(vigil.engine);
    expect(Object.keys(seen)).toHaveLength(8);
    for (const states of Object.values(seen)) expect(states).toEqual(['firing', 'resolved']);
    expect(vigil.engine.lastSeq()).toBe(lastSeq + 8);
  });

  it('splits the partitions between two instances of one group', async () => {
    const t = await topic(4);
    const group = uniqueName('vigil-test-group');
    const a = await start(dir(), t, group);
    const b = await start(dir(), t, group);
    await waitFor('both instances assigned', () => a.source.status().assigned.length > 0 && b.source.status().assigned.length > 0 && a.source.status().assigned.length + b.source.status().assigned.length === 4);
    const owned = [...a.source.status().assigned, ...b.source.status().assigned];
    expect(new Set(owned).size).toBe(4);
    const clusters = Array.from({ length: 16 }, (_, i) => `k${i}`);
    await produce(producer, t, clusters.map((cluster) => ({ cluster, value: flip(`n-${cluster}`, cluster) })));
    await waitFor('16 messages applied across both', () => appliedMessages(a.engine, t, 4) + appliedMessages(b.engine, t, 4) === 16);
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const source of self.source.status().assigned) expect(other.engine.storedOffset(source)).toBeUndefined();
    }
    expect(Object.keys(transitions(a.engine)).length + Object.keys(transitions(b.engine)).length).toBe(16);
  });

  it('dead-letters a poison message while its partition goes on', async () => {
    const t = await topic(1);
    const vigil = await start(dir(), t, uniqueName('vigil-test-group'));
    await produce(producer, t, [
      { cluster: 'c1', value: flip('before', 'c1'), partition: 0 },
      { cluster: 'c1', value: null, raw: '{"name": "cpu", oops', partition: 0 },
      { cluster: 'c1', value: [{ name: 'cpu', tags: { node: 'bad' }, value: 'NaN', ts: 1 }], partition: 0 },
      { cluster: 'c1', value: flip('after', 'c1'), partition: 0 },
    ]);
    await waitFor('all four messages applied', () => vigil.engine.storedOffset(`kafka:${t}/0`) === 4);
    expect(Object.keys(transitions(vigil.engine)).sort()).toEqual(['alert/hot/node=after', 'alert/hot/node=before']);
    const letters = [...vigil.engine.store.deadLetters.getRange()].map((e) => e.value).filter((d) => d.source === `kafka:${t}/0`);
    expect(letters.map((d) => [d.offset, d.code])).toEqual([
      [1, 'DECODE_FAILED'],
      [2, 'POINT_INVALID'],
    ]);
    expect(letters[0]!.payload).toContain('oops');
  });

  it('resumes after a SIGKILL mid-batch with every input applied exactly once', async () => {
    const t = await topic(4);
    const group = uniqueName('vigil-test-group');
    const data = dir();
    const clusters = ['s0', 's1', 's2', 's3'];
    const messages = Array.from({ length: 400 }, (_, i) => {
      const cluster = clusters[i % 4]!;
      return { cluster, value: Array.from({ length: 25 }, (_, j) => flip(`n${i}-${j}`, cluster)).flat() };
    });
    for (let i = 0; i < messages.length; i += 50) await produce(producer, t, messages.slice(i, i + 50));
    const worker = startWorker(data, t, group);
    await waitFor('the worker to commit a few batches', () => worker.committed() >= 2);
    await worker.kill('SIGKILL');
    const vigil = await start(data, t, group);
    await waitFor('every message applied', () => appliedMessages(vigil.engine, t, 4) === 400, 120_000);
    const seen = transitions(vigil.engine);
    expect(Object.keys(seen)).toHaveLength(400 * 25);
    for (const states of Object.values(seen)) expect(states).toEqual(['firing', 'resolved']);
  });
});
