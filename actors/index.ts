/** Pure xstate machines: the single source of behaviour for Vigil's actors. No I/O, no clock. */
export * from './alert-instance/index.js';
export * from './cluster/index.js';
export * from './incident/index.js';
