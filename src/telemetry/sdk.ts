/** Starts the OpenTelemetry SDK: a Prometheus scrape endpoint, plus whatever OTEL_* variables configure. */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  /** host:port of the Prometheus endpoint; empty disables it. */
  metricsListen: string;
}

export interface RunningTelemetry {
  /** The scrape URL, when the endpoint is on. */
  readonly metricsUrl?: string;
  shutdown(): Promise<void>;
}

export async function startTelemetry(options: TelemetryOptions): Promise<RunningTelemetry> {
  if (!options.metricsListen) return { shutdown: async () => undefined };
  const cut = options.metricsListen.lastIndexOf(':');
  const host = options.metricsListen.slice(0, cut);
  const port = Number(options.metricsListen.slice(cut + 1));
  const exporter = await new Promise<PrometheusExporter>((resolve, reject) => {
    const e: PrometheusExporter = new PrometheusExporter({ host, port }, (err) => (err ? reject(err) : resolve(e)));
  });
  const sdk = new NodeSDK({ serviceName: 'vigil', metricReaders: [exporter], instrumentations: [] });
  sdk.start();
  return { metricsUrl: `http://${host}:${port}/metrics`, shutdown: () => sdk.shutdown() };
}
