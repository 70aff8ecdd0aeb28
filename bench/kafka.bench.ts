/**
 * Points per second from Kafka to committed state, one Vigil instance.
 * Needs a broker: KAFKA_BROKERS=localhost:9092 npx tsx bench/kafka.bench.ts
 * Produces batched JSON messages (500 points each) to a fresh 4-partition
 * topic, then times the Kafka source until every message is committed with
 * its state in LMDB. Target: >= 100,000 points/s.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ManualClock } from '../src/core/index.js';
import { Engine } from '../src/engine.js';
import { createKafkaSource } from '../src/ingest/kafka/index.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter((b) => b !== '');
const messages = Number(process.env.BENCH_MESSAGES ?? 2000);
const pointsPerMessage = Number(process.env.BENCH_POINTS_PER_MESSAGE ?? 500);
const partitions = 4;
const T0 = Date.UTC(2026, 0, 1);

async function main(): Promise<void> {
  if (brokers.length === 0) {
    console.log('kafka bench skipped: KAFKA_BROKERS is not set (e.g. KAFKA_BROKERS=localhost:9092 npx tsx bench/kafka.bench.ts)');
    return;
  }
  const kafka = new Kafka({ brokers, clientId: 'vigil-bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await admin.connect();
  await producer.connect();
  const topic = `vigil-bench-${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    for (let m = 0; m < messages; m += 100) {
      const batch = [];
      for (let i = m; i < Math.min(messages, m + 100); i++) {
        const cluster = `c${i % 64}`;
        // One event time per message round keeps every point on time whatever the partition interleaving.
        const ts = T0 + Math.floor(i / 64) * 1000;
        const points = Array.from({ length: pointsPerMessage }, (_, j) => ({ name: 'cpu', tags: { cluster, node: `n${j % 50}` }, value: (i * 7 + j) % 100, ts }));
        batch.push({ key: cluster, value: JSON.stringify({ points }) });
      }
      await producer.send({ topic, messages: batch });
    }
    const engine = Engine.open({ dataDir, clock: new ManualClock(T0), allowedLatenessMs: 3_600_000 });
    await engine.applyRules('rule hot { when cpu > 95 by (cluster, node) }');
    const source = createKafkaSource({ brokers, groupId: `vigil-bench-${randomUUID().slice(0, 8)}`, pointsTopics: [topic], eventsTopics: [] });
    const applied = () => {
      let sum = 0;
      for (let p = 0; p < partitions; p++) sum += engine.storedOffset(`kafka:${topic}/${p}`) ?? 0;
      return sum;
    };
    let started = 0;
    await source.start(
      (b) => {
        started ||= performance.now();
        return engine.ingestBatch(b);
      },
      (s) => engine.storedOffset(s),
    );
    while (applied() < messages) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - started) / 1000;
    const points = messages * pointsPerMessage;
    console.log(
      JSON.stringify({
        bench: 'kafka → committed state',
        points,
        messages,
        pointsPerMessage,
        seconds: Number(seconds.toFixed(2)),
        pointsPerSecond: Math.round(points / seconds),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      }),
    );
    await source.stop();
    await engine.close();
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await producer.disconnect();
    await admin.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
