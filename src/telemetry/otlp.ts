/**
 * OTLP export of traces and metrics, when configured: by Vigil's
 * `telemetry.otlpEndpoint` or by the standard OTEL_* variables, which win.
 * The exporter packages are imported only when OTLP is on, so a server
 * without it neither loads nor pays for them.
 */
import { metrics as sdkMetrics, tracing } from '@opentelemetry/sdk-node';
import { ConfigError } from '../core/index.js';

export type OtlpProtocol = 'http/protobuf' | 'grpc';

/** Where one signal goes: `url` undefined means the exporter reads OTEL_EXPORTER_OTLP_* itself. */
export interface OtlpTarget {
  readonly protocol: OtlpProtocol;
  readonly url?: string;
}

export interface OtlpPlan {
  readonly traces?: OtlpTarget;
  readonly metrics?: OtlpTarget & { readonly exportIntervalMs: number };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Decides which signals go to OTLP and where. A signal is exported when an
 * endpoint is known for it (its OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT,
 * OTEL_EXPORTER_OTLP_ENDPOINT, or `configEndpoint`) and OTEL_<SIGNAL>_EXPORTER
 * does not leave out `otlp`; OTEL_SDK_DISABLED=true turns both off. Throws
 * ConfigError for a protocol or interval it cannot use.
 */
export function planOtlp(configEndpoint: string | undefined, env: Env): OtlpPlan {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return {};
  const traces = target('TRACES', configEndpoint, env);
  const metrics = target('METRICS', configEndpoint, env);
  const interval = env.OTEL_METRIC_EXPORT_INTERVAL?.trim();
  const exportIntervalMs = interval ? Number(interval) : 60_000;
  if (!Number.isFinite(exportIntervalMs) || exportIntervalMs <= 0) throw new ConfigError(`OTEL_METRIC_EXPORT_INTERVAL must be a positive number of ms, not "${interval}"`);
  return { ...(traces ? { traces } : {}), ...(metrics ? { metrics: { ...metrics, exportIntervalMs } } : {}) };
}

function target(signal: 'TRACES' | 'METRICS', configEndpoint: string | undefined, env: Env): OtlpTarget | undefined {
  const exporters = env[`OTEL_${signal}_EXPORTER`]?.split(',').map((s) => s.trim()).filter(Boolean);
  if (exporters && exporters.length > 0 && !exporters.includes('otlp')) return undefined;
  const raw = (env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  if (raw !== 'http/protobuf' && raw !== 'grpc') throw new ConfigError(`OTLP protocol "${raw}" is not supported; use http/protobuf or grpc`);
  const protocol: OtlpProtocol = raw;
  if (env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return { protocol };
  const base = configEndpoint?.trim().replace(/\/+$/, '');
  if (!base) return undefined;
  // As OTEL_EXPORTER_OTLP_ENDPOINT does: over HTTP the base gets the signal's path, gRPC takes it as is.
  return { protocol, url: protocol === 'grpc' ? base : `${base}/v1/${signal.toLowerCase()}` };
}

/** A batch span processor exporting to `t`, sized by the standard OTEL_BSP_* variables. */
export async function otlpSpanProcessor(t: OtlpTarget, env: Env): Promise<tracing.SpanProcessor> {
  const num = (name: string): number | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a non-negative number, not "${v}"`);
    return n;
  };
  const config = {
    maxQueueSize: num('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: num('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: num('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: num('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return new tracing.BatchSpanProcessor(await otlpSpanExporter(t), defined);
}

/** The span exporter for `t`. Needs @opentelemetry/exporter-trace-otlp-proto (or -grpc). */
async function otlpSpanExporter(t: OtlpTarget): Promise<tracing.SpanExporter> {
  const config = t.url ? { url: t.url } : {};
  if (t.protocol === 'grpc') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
    return new OTLPTraceExporter(config);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(config);
}

/** A periodic metric reader exporting to `t`. Needs @opentelemetry/exporter-metrics-otlp-proto (or -grpc). */
export async function otlpMetricReader(t: OtlpTarget & { readonly exportIntervalMs: number }): Promise<sdkMetrics.MetricReader> {
  const config = t.url ? { url: t.url } : {};
  const exporter =
    t.protocol === 'grpc'
      ? new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter(config)
      : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(config);
  const exportIntervalMillis = t.exportIntervalMs;
  return new sdkMetrics.PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis: Math.min(30_000, exportIntervalMillis) });
}
