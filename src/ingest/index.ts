/** Ingest: sources of points and events, their decoding and validation. */
export { validatePoint, type PointCheck, type PointLimits } from './validate-point.js';
export { validateEvent, type EventCheck } from './validate-event.js';
export { validateBatch, type ValidatedBatch } from './validate-batch.js';
export type { Source, SourceBatch, SourceHealth, BatchSink, BatchResult, Rejection, DeadLetter } from './source.js';
