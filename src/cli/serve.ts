/** `vigil serve`: opens the data directory, applies the rule files, and starts gRPC and telemetry. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBindPolicy, startGrpcServer } from '../api/index.js';
import { serverSecurity, type VigilConfig } from '../config/index.js';
import { RuleError, systemClock } from '../core/index.js';
import { createDelivery, parseDeliveryConfig, type Delivery } from '../deliver/index.js';
import { Engine } from '../engine.js';
import type { Source } from '../ingest/index.js';
import { createKafkaSource, kafkaConfigFromEnv } from '../ingest/kafka/index.js';
import { observeDelivery, observeEngine, silentLogger, startTelemetry, type Logger } from '../telemetry/index.js';

export interface RunningServer {
  readonly engine: Engine;
  readonly delivery: Delivery;
  /** The gRPC address actually bound. */
  readonly address: string;
  readonly metricsUrl?: string;
  close(): Promise<void>;
}

/** Thrown when a rule file given to the server does not compile; carries the file name. */
export class RuleFileError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: RuleError,
  ) {
    super(cause.diagnostics.map((d) => `${file}:${d.line}:${d.column}: ${d.message}`).join('\n'));
  }
}

async function applyRuleDir(engine: Engine, dir: string, log: Logger): Promise<void> {
  if (!dir) return;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.vigil')).sort();
  } catch {
    log('warn', 'rules folder not found; starting without rule files', { dir });
    return;
  }
  for (const f of files) {
    const path = join(dir, f);
    try {
      const applied = await engine.applyRules(readFileSync(path, 'utf8'));
      log('info', 'rule file applied', { file: path, rules: applied.map((a) => `${a.name}@${a.version} ${a.change}`) });
    } catch (e) {
      if (e instanceof RuleError) throw new RuleFileError(path, e);
      throw e;
    }
  }
}

export async function startServer(config: VigilConfig, log: Logger): Promise<RunningServer> {
  // Bad TLS files and an unprotected public address fail before the data directory is opened;
  // startGrpcServer checks the address again and logs the warning when allowInsecure lets it pass.
  const security = serverSecurity(config);
  checkBindPolicy(config.grpc.listen, security, silentLogger);
  const engine = Engine.open({
    dataDir: config.dataDir,
    clock: systemClock,
    allowedLatenessMs: config.ingest.allowedLatenessMs,
    sourceLatenessMs: Object.fromEntries(config.ingest.sources.map((s) => [s.prefix, s.allowedLatenessMs])),
    idleSourceMs: config.ingest.idleSourceMs,
    maxBatchPoints: config.ingest.maxBatchPoints,
    maxRules: config.limits.maxRules,
    maxResidentActors: config.actors.maxResident,
    correlation: {
      upgradeTimeoutMs: config.correlate.upgradeTimeoutMs,
      heartbeatTimeoutMs: config.correlate.heartbeatTimeoutMs === 0 ? null : config.correlate.heartbeatTimeoutMs,
      clusterTag: config.correlate.clusterTag,
      inhibitions: config.correlate.inhibitions,
    },
  });
  let delivery: Delivery | undefined;
  try {
    delivery = createDelivery({ store: engine.store, config: parseDeliveryConfig(config.delivery, process.env), clock: systemClock, log });
    const d = delivery;
    engine.setCommitHook({ plan: (events) => d.plan(events), committed: () => d.wake() });
    d.start();
    await applyRuleDir(engine, config.rules.dir, log);
    const telemetry = await startTelemetry({ metricsListen: config.metrics.listen, otlpEndpoint: config.telemetry.otlpEndpoint });
    const stopGauges = [observeEngine(engine), observeDelivery(d)];
    const grpc = await startGrpcServer(engine, log, {
      listen: config.grpc.listen,
      dataDir: config.dataDir,
      delivery: d,
      security,
      maxStreamSubscribers: config.limits.maxStreamSubscribers,
      streamBufferEvents: config.limits.streamBufferEvents,
    });
    const kafka = await startKafka(engine, config, log);
    // Source health is read on the wall clock at the edge, for gRPC health checking.
    const healthTimer = kafka
      ? setInterval(() => grpc.health.setStatus('vigil.kafka', kafka.health().healthy ? 'SERVING' : 'NOT_SERVING'), 5000).unref()
      : undefined;
    // Idle sources advance by the wall clock (docs/evaluation.md): check once a second, at the edge.
    const tickTimer =
      config.ingest.idleSourceMs > 0
        ? setInterval(() => {
            engine.tick().catch((e: unknown) => log('warn', 'watermark tick failed', { error: String(e) }));
          }, 1000).unref()
        : undefined;
    log('info', 'vigil serving', { grpc: grpc.address, metrics: telemetry.metricsUrl ?? 'off', dataDir: config.dataDir });
    return {
      engine,
      delivery: d,
      address: grpc.address,
      ...(telemetry.metricsUrl ? { metricsUrl: telemetry.metricsUrl } : {}),
      close: async () => {
        if (healthTimer) clearInterval(healthTimer);
        if (tickTimer) clearInterval(tickTimer);
        await kafka?.stop();
        await grpc.close();
        await d.stop();
        await engine.close();
        for (const stop of stopGauges) stop();
        await telemetry.shutdown();
      },
    };
  } catch (e) {
    await delivery?.stop();
    await engine.close();
    throw e;
  }
}

/** Starts the Kafka source when KAFKA_BROKERS is set (docs/kafka.md); embedded mode has none. */
async function startKafka(engine: Engine, config: VigilConfig, log: Logger): Promise<Source | undefined> {
  const kafkaConfig = kafkaConfigFromEnv(process.env);
  if (!kafkaConfig) return undefined;
  const source = createKafkaSource(kafkaConfig, { log, maxBatchPoints: config.ingest.maxBatchPoints });
  // Resolves even while the broker is down: the source reconnects with backoff and reports itself unhealthy.
  await source.start(
    (batch) => engine.ingestBatch(batch),
    (name) => engine.storedOffset(name),
  );
  log('info', 'kafka source started', { source: source.name });
  return source;
}
