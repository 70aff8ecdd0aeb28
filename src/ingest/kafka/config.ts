/** Options of the Kafka source, with their defaults; parsing them from the environment lives in config-from-env.ts. */

/** How a message's bytes are encoded when it carries no `content-type` header. */
export type WireFormat = 'json' | 'protobuf';

/** Which protobuf message a protobuf payload holds when the header does not say. */
export type ProtobufMessage = 'batch' | 'point';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaTlsOptions {
  /** PEM file of the CA that signed the brokers' certificates; the system CAs when unset. */
  caFile?: string;
  /** PEM client certificate, for mutual TLS. */
  certFile?: string;
  /** PEM client key, for mutual TLS. */
  keyFile?: string;
  /** Refuse brokers whose certificate does not verify. @default true */
  rejectUnauthorized?: boolean;
}

export interface KafkaSaslOptions {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface KafkaSourceConfig {
  /** `host:port` of at least one broker. */
  brokers: readonly string[];
  /** @default 'vigil' */
  clientId?: string;
  /** Consumer group shared by every Vigil instance of one deployment. @default 'vigil' */
  groupId?: string;
  /** Topics of data points. @default ['vigil.points'] */
  pointsTopics?: readonly string[];
  /** Topics of events (cluster lifecycle, log signatures, jobs, heartbeats). @default ['vigil.events'] */
  eventsTopics?: readonly string[];
  /** Encoding of messages without a `content-type` header. @default 'json' */
  format?: WireFormat;
  /** Protobuf message of payloads without a header: `batch` = vigil.v1.IngestRequest, `point` = vigil.v1.DataPoint. @default 'batch' */
  protobufMessage?: ProtobufMessage;
  /** Tag the message key fills in when a point lacks it (producers key messages by cluster). @default 'cluster' */
  keyTag?: string;
  /** TLS to the brokers; `true` for TLS with the system CAs. @default false */
  tls?: boolean | KafkaTlsOptions;
  sasl?: KafkaSaslOptions;
  /** Where a partition with no stored offset and no committed Kafka offset starts. @default true */
  fromBeginning?: boolean;
  /** @default 30000 */
  sessionTimeoutMs?: number;
  /** @default 3000 */
  heartbeatIntervalMs?: number;
  /** @default 60000 */
  rebalanceTimeoutMs?: number;
  /** @default 1000 */
  connectionTimeoutMs?: number;
  /** @default 30000 */
  requestTimeoutMs?: number;
  /** kafkajs retry: first wait before retrying a failed request. @default 300 */
  initialRetryTimeMs?: number;
  /** kafkajs retry: longest wait between retries. @default 30000 */
  maxRetryTimeMs?: number;
  /** kafkajs retry: attempts before the consumer crashes and restarts. @default 5 */
  retries?: number;
  /** Longest message accepted; larger ones are dead-lettered as MESSAGE_TOO_LARGE. @default 1048576 */
  maxMessageBytes?: number;
  /** Most points in one message; more is dead-lettered as LIMIT_EXCEEDED. @default 10000 */
  maxPointsPerMessage?: number;
  /** Most points handed to the engine in one commit; keep at or below the engine's maxBatchPoints. @default 10000 */
  maxPointsPerBatch?: number;
  /** Partitions processed at the same time by one instance. @default 4 */
  partitionsConsumedConcurrently?: number;
  /** Pause fetching when this many points wait for their commit. @default 20000 */
  maxInFlightPoints?: number;
  /** Pause fetching when this many batches wait for their commit. @default 8 */
  maxInFlightBatches?: number;
  /** Largest fetch response per partition, in bytes. @default 1048576 */
  maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch waiting for data. @default 500 */
  maxWaitTimeMs?: number;
  /** First bytes of a poison message kept in its dead-letter entry. @default 256 */
  deadLetterPayloadBytes?: number;
  /** Also publish dead letters to this topic (best effort, after the commit). */
  deadLetterTopic?: string;
  /** How often the head of each assigned partition is read to report lag when no batch arrives. @default 10000 */
  lagPollIntervalMs?: number;
  /** First wait before re-creating a consumer that crashed for good; doubles up to reconnectMaxMs. @default 1000 */
  reconnectInitialMs?: number;
  /** @default 60000 */
  reconnectMaxMs?: number;
}

/** The config with every default filled in. */
export type ResolvedKafkaConfig = Required<Omit<KafkaSourceConfig, 'sasl' | 'deadLetterTopic'>> & Pick<KafkaSourceConfig, 'sasl' | 'deadLetterTopic'>;

export const kafkaDefaults: Readonly<Omit<ResolvedKafkaConfig, 'brokers' | 'sasl' | 'deadLetterTopic'>> = {
  clientId: 'vigil',
  groupId: 'vigil',
  pointsTopics: ['vigil.points'],
  eventsTopics: ['vigil.events'],
  format: 'json',
  protobufMessage: 'batch',
  keyTag: 'cluster',
  tls: false,
  fromBeginning: true,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 30_000,
  initialRetryTimeMs: 300,
  maxRetryTimeMs: 30_000,
  retries: 5,
  maxMessageBytes: 1_048_576,
  maxPointsPerMessage: 10_000,
  maxPointsPerBatch: 10_000,
  partitionsConsumedConcurrently: 4,
  maxInFlightPoints: 20_000,
  maxInFlightBatches: 8,
  maxBytesPerPartition: 1_048_576,
  maxWaitTimeMs: 500,
  deadLetterPayloadBytes: 256,
  lagPollIntervalMs: 10_000,
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
};

export function resolveKafkaConfig(config: KafkaSourceConfig): ResolvedKafkaConfig {
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return { ...kafkaDefaults, ...defined } as unknown as ResolvedKafkaConfig;
}

/** The stored-offset name of one partition, e.g. `kafka:vigil.points/3`. */
export function sourceName(topic: string, partition: number): string {
  return `kafka:${topic}/${partition}`;
}
