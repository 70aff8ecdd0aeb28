/** Route: finds, for each data point, the data expressions (rules) that need it. */
export { QueryIndex } from './query-index.js';
