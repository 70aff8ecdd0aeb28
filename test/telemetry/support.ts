/** In-memory readers and exporters for telemetry tests, through the SDK re-exports of @opentelemetry/sdk-node. */
import { metrics as sdkMetrics, tracing } from '@opentelemetry/sdk-node';
import { startTelemetry, type RunningTelemetry } from '../../src/telemetry/index.js';

/** A pull reader: `collect()` returns what the instruments hold now. */
export class TestReader extends sdkMetrics.MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface Point {
  readonly value: number | { readonly count: number; readonly sum?: number };
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The data points of metric `name`, or [] when it has none. */
export async function read(reader: TestReader, name: string): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics)
    for (const m of scope.metrics) if (m.descriptor.name === name) return m.dataPoints.map((p) => ({ value: p.value as Point['value'], attributes: p.attributes }));
  return [];
}

export interface Started {
  readonly telemetry: RunningTelemetry;
  /** Spans ended so far (the processor exports once the resource is detected, so this waits for it). */
  finished(): Promise<tracing.ReadableSpan[]>;
  readonly reader: TestReader;
}

/** Telemetry with no Prometheus endpoint and no OTLP: an in-memory span exporter and a pull reader. */
export async function startInMemory(): Promise<Started> {
  const spans = new tracing.InMemorySpanExporter();
  const reader = new TestReader();
  const processor = new tracing.SimpleSpanProcessor(spans);
  const telemetry = await startTelemetry({ metricsListen: '', env: {}, spanProcessors: [processor], metricReaders: [reader] });
  const finished = async (): Promise<tracing.ReadableSpan[]> => {
    await processor.forceFlush();
    return spans.getFinishedSpans();
  };
  return { telemetry, finished, reader };
}
