/**
 * Kafka ingestion: a consumer-group source behind the Source interface. The
 * offsets stored in LMDB with the state they produced are the truth; Kafka
 * offsets are committed only after that commit is flushed, and only for
 * partitions still owned. Poison messages become dead letters; the
 * partition keeps flowing.
 *
 * Wiring (e.g. in `vigil serve`):
 *
 *   const config = kafkaConfigFromEnv(process.env);          // undefined: Kafka off
 *   if (config) {
 *     const source = createKafkaSource(config, { log, maxBatchPoints });
 *     await source.start((b) => engine.ingestBatch(b), (s) => engine.storedOffset(s));
 *     // health: source.health() (SourceHealth with per-partition lag), source.status() for more
 *     // shutdown: await source.stop() before engine.close()
 *   }
 *
 * Dead letters land in the engine's `deadletter` table under sources named
 * `kafka:<topic>/<partition>` with codes from DeadLetterCodes.
 */
export { createKafkaSource, KafkaSource, type KafkaSourceDeps, type KafkaSourceStatus } from './kafka-source.js';
export { kafkaConfigFromEnv, kafkaEnvVars } from './config-from-env.js';
export { kafkaDefaults, resolveKafkaConfig, sourceName, type KafkaSourceConfig, type KafkaTlsOptions, type KafkaSaslOptions, type ResolvedKafkaConfig, type WireFormat, type ProtobufMessage } from './config.js';
export { DeadLetterCodes, type DeadLetterCode } from './dead-letter-codes.js';
export { encodeProtoPoints } from './proto-codec.js';
export type { KafkaSourceBatch } from './batch-plan.js';
