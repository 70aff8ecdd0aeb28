export * from './machine.js';
export * from './snapshot.js';
