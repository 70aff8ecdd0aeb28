/** Shared vocabulary of every stage: data points, alert events, errors with stable codes, the clock. */
export * from './errors.js';
export * from './model.js';
export * from './clock.js';
