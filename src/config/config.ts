/**
 * Vigil's configuration: a YAML file (default `config/default.yaml`), then
 * environment variables, then command-line flags, each overriding the last.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/index.js';
import { defaultCorrelationConfig, parseInhibitions, type CorrelationConfig } from './correlation.js';
import { mergeEnvTokens, parseTokenList, type TokenConfig } from './tokens.js';

/** One `ingest.sources` entry: sources whose name starts with `prefix` get this lateness. */
export interface SourceLateness {
  prefix: string;
  allowedLatenessMs: number;
}

export interface VigilConfig {
  /** LMDB data directory. @default './data' */
  dataDir: string;
  grpc: {
    /** host:port of the gRPC server. @default '127.0.0.1:50051' */
    listen: string;
    /** Serve a non-loopback address without TLS and authentication anyway; logs a warning. @default false */
    allowInsecure: boolean;
    tls: {
      /** PEM certificate chain of the server; with keyFile, switches TLS on. @default '' */
      certFile: string;
      /** PEM private key of the server. @default '' */
      keyFile: string;
      /** PEM CA bundle; when set, clients must present a certificate it signed (mTLS). @default '' */
      clientCaFile: string;
    };
    auth: {
      /** Accepted bearer tokens with their roles; none means no token checks. @default [] */
      tokens: TokenConfig[];
    };
  };
  metrics: {
    /** host:port of the Prometheus scrape endpoint; empty disables it. @default '127.0.0.1:9464' */
    listen: string;
  };
  telemetry: {
    /** OTLP collector base URL for traces and metrics (docs/observability.md); OTEL_EXPORTER_OTLP_* override it. @default '' (off) */
    otlpEndpoint: string;
  };
  ingest: {
    /** How far behind the newest event time a point may arrive and still be evaluated. @default 0 */
    allowedLatenessMs: number;
    /** Most points in one ingest batch. @default 10000 */
    maxBatchPoints: number;
    /**
     * Wall-clock ms after which a silent source stops holding the watermark back and is assumed to
     * keep pace with the clock (docs/evaluation.md); 0 = never. @default 30000
     */
    idleSourceMs: number;
    /** Allowed lateness per source-name prefix (`grpc:`, `kafka:points/`), overriding `allowedLatenessMs`. @default [] */
    sources: SourceLateness[];
  };
  rules: {
    /** Folder of `*.vigil` files applied at start; empty for none. @default 'config/rules' */
    dir: string;
  };
  limits: {
    /** Most rules on one server. @default 100000 */
    maxRules: number;
    /** Most StreamAlerts calls open at once. @default 1000 */
    maxStreamSubscribers: number;
    /** Live events buffered per StreamAlerts call before it is ended as too slow. @default 10000 */
    streamBufferEvents: number;
  };
  actors: {
    /** Most alert instances held in memory; the rest are passivated to LMDB and loaded on their next message. @default 1000000 */
    maxResident: number;
  };
  /** Cluster lifecycle and inhibition (docs/correlation.md). */
  correlate: CorrelationConfig;
  /** Notification routes and receivers, as written; validated by the deliver stage (docs/delivery.md). */
  delivery?: unknown;
}

export const defaultConfig: VigilConfig = {
  dataDir: './data',
  grpc: { listen: '127.0.0.1:50051', allowInsecure: false, tls: { certFile: '', keyFile: '', clientCaFile: '' }, auth: { tokens: [] } },
  metrics: { listen: '127.0.0.1:9464' },
  telemetry: { otlpEndpoint: '' },
  ingest: { allowedLatenessMs: 0, maxBatchPoints: 10_000, idleSourceMs: 30_000, sources: [] },
  rules: { dir: 'config/rules' },
  limits: { maxRules: 100_000, maxStreamSubscribers: 1000, streamBufferEvents: 10_000 },
  actors: { maxResident: 1_000_000 },
  correlate: defaultCorrelationConfig,
};

/** Environment variables and the config key each one sets. */
const envKeys: Record<string, string> = {
  VIGIL_DATA_DIR: 'dataDir',
  VIGIL_GRPC_LISTEN: 'grpc.listen',
  VIGIL_METRICS_LISTEN: 'metrics.listen',
  VIGIL_ALLOWED_LATENESS_MS: 'ingest.allowedLatenessMs',
  VIGIL_IDLE_SOURCE_MS: 'ingest.idleSourceMs',
  VIGIL_RULES_DIR: 'rules.dir',
  VIGIL_MAX_RESIDENT_ACTORS: 'actors.maxResident',
  VIGIL_GRPC_ALLOW_INSECURE: 'grpc.allowInsecure',
  VIGIL_GRPC_TLS_CERT: 'grpc.tls.certFile',
  VIGIL_GRPC_TLS_KEY: 'grpc.tls.keyFile',
  VIGIL_GRPC_TLS_CLIENT_CA: 'grpc.tls.clientCaFile',
  VIGIL_MAX_STREAM_SUBSCRIBERS: 'limits.maxStreamSubscribers',
  VIGIL_STREAM_BUFFER_EVENTS: 'limits.streamBufferEvents',
  VIGIL_UPGRADE_TIMEOUT_MS: 'correlate.upgradeTimeoutMs',
  VIGIL_HEARTBEAT_TIMEOUT_MS: 'correlate.heartbeatTimeoutMs',
  VIGIL_CLUSTER_TAG: 'correlate.clusterTag',
};

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown, where: string): void {
  const keys = path.split('.');
  let obj: Json = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof obj[k] !== 'object' || obj[k] === null) throw new ConfigError(`${where}: unknown key "${path}"`);
    obj = obj[k] as Json;
  }
  const last = keys[keys.length - 1]!;
  if (!(last in obj)) throw new ConfigError(`${where}: unknown key "${path}"`);
  const expected = typeof obj[last];
  let v = value;
  if (expected === 'number' && typeof v === 'string') v = Number(v);
  if (expected === 'number' && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new ConfigError(`${where}: "${path}" must be a non-negative number`);
  if (expected === 'string' && typeof v !== 'string') throw new ConfigError(`${where}: "${path}" must be a string`);
  if (expected === 'boolean' && typeof v === 'string' && /^(true|false|1|0)$/.test(v)) v = v === 'true' || v === '1';
  if (expected === 'boolean' && typeof v !== 'boolean') throw new ConfigError(`${where}: "${path}" must be true or false`);
  if (Array.isArray(obj[last]) && !Array.isArray(v)) throw new ConfigError(`${where}: "${path}" must be a list`);
  obj[last] = v;
}

/** Sets every leaf of `source` on `root`, by dotted path, so unknown keys are reported in full. */
function merge(root: Json, source: Json, where: string, prefix = ''): void {
  for (const [k, v] of Object.entries(source)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) merge(root, v as Json, where, path);
    else setPath(root, path, v, where);
  }
}

export interface LoadConfigOptions {
  /** Config file; a missing default file is fine, a missing named file is an error. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted keys set last, e.g. from CLI flags. */
  overrides?: Record<string, unknown>;
}

export function loadConfig(options: LoadConfigOptions = {}): VigilConfig {
  const config = structuredClone(defaultConfig) as unknown as Json;
  const env = options.env ?? process.env;
  const file = options.file ?? env.VIGIL_CONFIG;
  const path = file ?? 'config/default.yaml';
  if (existsSync(path)) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ConfigError(`${path}: ${(e as Error).message}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${path}: must be a mapping of settings`);
      // The delivery section has its own schema, checked by the deliver stage.
      const { delivery, ...rest } = doc as Json;
      merge(config, rest, path);
      if (delivery !== undefined) config.delivery = delivery;
      const auth = (config.grpc as { auth: { tokens: unknown } }).auth;
      auth.tokens = parseTokenList(auth.tokens, `${path}: grpc.auth.tokens`);
      const ingest = config.ingest as VigilConfig['ingest'];
      ingest.sources = parseSourceLateness(ingest.sources, `${path}: ingest.sources`);
      const correlate = config.correlate as CorrelationConfig;
      correlate.inhibitions = parseInhibitions(correlate.inhibitions, `${path}: correlate.inhibitions`);
    }
  } else if (file) throw new ConfigError(`config file ${file} does not exist`);
  for (const [name, key] of Object.entries(envKeys)) {
    const v = env[name];
    if (v !== undefined) setPath(config, key, v, `environment variable ${name}`);
  }
  const result = config as unknown as VigilConfig;
  if (env.VIGIL_AUTH_TOKENS !== undefined) result.grpc.auth.tokens = mergeEnvTokens(result.grpc.auth.tokens, env.VIGIL_AUTH_TOKENS);
  for (const [key, v] of Object.entries(options.overrides ?? {})) if (v !== undefined) setPath(config, key, v, 'command line');
  return result;
}

/** Checks `ingest.sources`: a list of `{ prefix, allowedLatenessMs }`. */
function parseSourceLateness(raw: unknown, where: string): SourceLateness[] {
  if (!Array.isArray(raw)) throw new ConfigError(`${where} must be a list of { prefix, allowedLatenessMs }`);
  return raw.map((entry: unknown, i) => {
    const e = entry as Partial<SourceLateness> | null;
    if (typeof e !== 'object' || e === null || typeof e.prefix !== 'string' || e.prefix === '') throw new ConfigError(`${where}[${i}]: needs a non-empty "prefix"`);
    if (typeof e.allowedLatenessMs !== 'number' || !Number.isFinite(e.allowedLatenessMs) || e.allowedLatenessMs < 0) {
      throw new ConfigError(`${where}[${i}]: "allowedLatenessMs" must be a non-negative number`);
    }
    const extra = Object.keys(e).filter((k) => k !== 'prefix' && k !== 'allowedLatenessMs');
    if (extra.length > 0) throw new ConfigError(`${where}[${i}]: unknown key "${extra[0]}"`);
    return { prefix: e.prefix, allowedLatenessMs: e.allowedLatenessMs };
  });
}
