/** Telemetry: structured logs and Vigil's own OpenTelemetry metrics. */
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { instruments } from './instruments.js';
export { startTelemetry, type RunningTelemetry, type TelemetryOptions } from './sdk.js';
