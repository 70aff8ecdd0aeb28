/**
 * Starts the OpenTelemetry SDK: the Prometheus scrape endpoint, and OTLP
 * export of traces and metrics when configured (otlp.ts). Without OTLP no
 * span processor is registered, so tracing stays off and costs nothing.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK, type metrics as sdkMetrics, type tracing } from '@opentelemetry/sdk-node';
import { useGlobalMeterProvider } from './meter.js';
import { otlpMetricReader, otlpSpanProcessor, planOtlp } from './otlp.js';
import { useGlobalTracerProvider } from './tracing.js';

export interface TelemetryOptions {
  /** host:port of the Prometheus endpoint; empty disables it. */
  metricsListen: string;
  /**
   * Base URL of an OTLP collector for traces and metrics (`http://host:4318`,
   * or `http://host:4317` with OTEL_EXPORTER_OTLP_PROTOCOL=grpc). The standard
   * OTEL_EXPORTER_OTLP_* variables override it. @default '' (OTLP only if those variables are set)
   */
  otlpEndpoint?: string;
  /** Where OTEL_* settings are read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Span processors added to OTLP's (tests: an in-memory exporter). Any processor turns tracing on. */
  spanProcessors?: readonly tracing.SpanProcessor[];
  /** Metric readers added to Prometheus and OTLP (tests). */
  metricReaders?: readonly sdkMetrics.IMetricReader[];
}

export interface RunningTelemetry {
  /** The scrape URL, when the endpoint is on. */
  readonly metricsUrl?: string;
  /** Signals exported over OTLP. */
  readonly otlp: { readonly traces: boolean; readonly metrics: boolean };
  /** Flushes what is buffered and stops; Vigil's instruments and spans become no-ops again. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(options: TelemetryOptions): Promise<RunningTelemetry> {
  const env = options.env ?? process.env;
  const plan = planOtlp(options.otlpEndpoint, env);
  const readers: sdkMetrics.IMetricReader[] = [...(options.metricReaders ?? [])];
  const spanProcessors: tracing.SpanProcessor[] = [...(options.spanProcessors ?? [])];
  let metricsUrl: string | undefined;
  if (options.metricsListen) {
    const cut = options.metricsListen.lastIndexOf(':');
    const host = options.metricsListen.slice(0, cut);
    const port = Number(options.metricsListen.slice(cut + 1));
    readers.push(
      await new Promise<PrometheusExporter>((resolve, reject) => {
        const e: PrometheusExporter = new PrometheusExporter({ host, port }, (err) => (err ? reject(err) : resolve(e)));
      }),
    );
    metricsUrl = `http://${host}:${port}/metrics`;
  }
  if (plan.metrics) readers.push(await otlpMetricReader(plan.metrics));
  if (plan.traces) spanProcessors.push(await otlpSpanProcessor(plan.traces, env));
  const otlp = { traces: plan.traces !== undefined, metrics: plan.metrics !== undefined };
  if (readers.length === 0 && spanProcessors.length === 0) return { otlp, shutdown: async () => undefined };

  // Everything is passed explicitly: left unset, NodeSDK would export traces and logs to a default
  // OTLP endpoint on localhost even when nobody configured one.
  const sdk = new NodeSDK({ serviceName: 'vigil', metricReaders: readers, spanProcessors, logRecordProcessors: [], instrumentations: [] });
  sdk.start();
  useGlobalMeterProvider();
  useGlobalTracerProvider(spanProcessors.length > 0);
  return {
    ...(metricsUrl ? { metricsUrl } : {}),
    otlp,
    shutdown: async () => {
      useGlobalTracerProvider(false);
      try {
        await sdk.shutdown();
      } finally {
        // Unregister, so a later start in the same process (tests, a restart in-process) can register again.
        metrics.disable();
        trace.disable();
        context.disable();
        propagation.disable();
        useGlobalMeterProvider();
      }
    },
  };
}
