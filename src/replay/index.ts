/**
 * Replay: runs rules offline over recorded points and events on a private
 * engine, in event time, and reports the alert transitions they would have
 * caused. `vigil replay` and the gRPC `Backtest` call share it.
 */
export { runReplay, UNTIL_METRIC, type ReplayOptions, type ReplaySummary } from './run-replay.js';
export { parseLine, parseTime, readDataFile, ReplayInputError, type ReplayItem, type ReadOptions } from './ndjson.js';
export { scanJson, type JsonScan } from './json-position.js';
