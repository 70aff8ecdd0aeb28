/**
 * Telemetry: structured logs, and Vigil's own OpenTelemetry metrics and
 * traces (Prometheus endpoint, OTLP when configured). docs/observability.md
 * lists every metric and span.
 */
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { vigilMeter, useGlobalMeterProvider } from './meter.js';
export { instruments, recordStepClose } from './instruments.js';
export { observeDelivery, observeEngine, type EngineReader, type ReceiverReading } from './gauges.js';
export {
  currentTraceparent,
  traceBatch,
  traceDelivery,
  tracingEnabled,
  useGlobalTracerProvider,
  MAX_ALERT_IDS,
  type BatchAttributes,
  type BatchTrace,
  type DeliveryAttempt,
  type TransitionLike,
} from './tracing.js';
export { planOtlp, type OtlpPlan, type OtlpProtocol, type OtlpTarget } from './otlp.js';
export { startTelemetry, type RunningTelemetry, type TelemetryOptions } from './sdk.js';
