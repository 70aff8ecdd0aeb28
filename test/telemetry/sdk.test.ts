import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/core/index.js';
import { instruments, planOtlp, startTelemetry, traceBatch, tracingEnabled, type RunningTelemetry } from '../../src/telemetry/index.js';

let running: RunningTelemetry | undefined;
let collector: Server | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
  await new Promise((r) => (collector ? collector.close(r) : r(undefined)));
  collector = undefined;
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A stand-in OTLP/HTTP collector that records the paths it was sent to. */
async function fakeCollector(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  collector = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => collector!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, paths };
}

describe('startTelemetry', () => {
  it('serves the instruments stages recorded on the Prometheus endpoint (they are made before the SDK starts)', async () => {
    running = await startTelemetry({ metricsListen: `127.0.0.1:${await freePort()}`, env: {} });
    instruments.pointsIngested.add(3, { source: 'grpc' });
    instruments.commitDuration.record(4);
    const body = await (await fetch(running.metricsUrl!)).text();
    expect(body).toContain('vigil_points_ingested_total{source="grpc",otel_scope_name="vigil"} 3');
    expect(body).toContain('vigil_commit_duration_count{otel_scope_name="vigil"} 1');
    expect(running.otlp).toEqual({ traces: false, metrics: false });
    expect(tracingEnabled()).toBe(false);
  });

  it('starts nothing, and leaves tracing off, with no endpoint and no OTLP', async () => {
    running = await startTelemetry({ metricsListen: '', env: {} });
    expect(running.metricsUrl).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
  });

  it('exports spans and metrics over OTLP/HTTP to the configured endpoint, beside the Prometheus endpoint', async () => {
    const otlp = await fakeCollector();
    running = await startTelemetry({ metricsListen: `127.0.0.1:${await freePort()}`, otlpEndpoint: otlp.url, env: {} });
    expect(running.otlp).toEqual({ traces: true, metrics: true });
    expect(tracingEnabled()).toBe(true);
    await traceBatch({ source: 'grpc' }, async (t) => {
      t.validated({ points: 1, events: 0, rejected: 0 });
      t.evaluated(0);
      t.committed();
    });
    instruments.pointsIngested.add(1, { source: 'grpc' });
    await running.shutdown(); // flushes both
    running = undefined;
    expect(otlp.paths).toContain('POST /v1/traces application/x-protobuf');
    expect(otlp.paths).toContain('POST /v1/metrics application/x-protobuf');
    expect(tracingEnabled()).toBe(false);
  });
});

describe('planOtlp', () => {
  it('exports nothing when neither the config nor OTEL_* names an endpoint', () => {
    expect(planOtlp(undefined, {})).toEqual({});
    expect(planOtlp('', {})).toEqual({});
  });

  it('sends each signal to its path under the configured base URL over HTTP', () => {
    expect(planOtlp('http://collector:4318/', {})).toEqual({
      traces: { protocol: 'http/protobuf', url: 'http://collector:4318/v1/traces' },
      metrics: { protocol: 'http/protobuf', url: 'http://collector:4318/v1/metrics', exportIntervalMs: 60_000 },
    });
  });

  it('takes the base URL as is over gRPC', () => {
    expect(planOtlp('http://collector:4317', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).traces).toEqual({ protocol: 'grpc', url: 'http://collector:4317' });
  });

  it('lets OTEL_EXPORTER_OTLP_ENDPOINT win over the config, leaving the URL to the exporter', () => {
    const plan = planOtlp('http://config:4318', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_METRIC_EXPORT_INTERVAL: '15000' });
    expect(plan).toEqual({ traces: { protocol: 'http/protobuf' }, metrics: { protocol: 'http/protobuf', exportIntervalMs: 15_000 } });
  });

  it('turns on one signal with its own endpoint variable, and off with OTEL_<SIGNAL>_EXPORTER=none', () => {
    expect(planOtlp(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:4318/v1/traces' })).toEqual({ traces: { protocol: 'http/protobuf' } });
    expect(planOtlp('http://c:4318', { OTEL_TRACES_EXPORTER: 'none' }).traces).toBeUndefined();
    expect(planOtlp('http://c:4318', { OTEL_METRICS_EXPORTER: 'prometheus' }).metrics).toBeUndefined();
    expect(planOtlp('http://c:4318', { OTEL_SDK_DISABLED: 'true' })).toEqual({});
  });

  it('refuses a protocol or interval it cannot use, with CONFIG_INVALID', () => {
    expect(() => planOtlp('http://c:4318', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toThrow(expect.objectContaining({ code: ErrorCodes.CONFIG_INVALID }));
    expect(() => planOtlp('http://c:4318', { OTEL_METRIC_EXPORT_INTERVAL: 'soon' })).toThrow(expect.objectContaining({ code: ErrorCodes.CONFIG_INVALID }));
  });
});
