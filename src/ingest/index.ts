/** Ingest: sources of points and events, their decoding and validation. */
export { validatePoint, type PointCheck, type PointLimits } from './validate-point.js';
