/** Store: the LMDB environment, its named databases and the one-transaction commit of a batch. */
export { Store, DATA_SCHEMA_VERSION, type StoreOptions, type CommitBatch, type TableWrite } from './store.js';
export * from './records.js';
