/** What every rule host shares with the evaluator, and what the evaluator asks of a host. */
import type { DataPoint, VigilEvent } from '../core/index.js';
import type { CompiledRule } from '../language/index.js';
import type { AlertRecord } from '../store/index.js';
import type { BatchEffects } from './batch-effects.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { ResidentSet } from './resident-set.js';

/** Reads committed actor records (the store, in production). */
export interface ActorLoader {
  get(id: string): AlertRecord | undefined;
  /** Every stored record whose id starts with `prefix` (step hosts reload their live groups at start). */
  getRange?(options: { start: string; end: string }): Iterable<{ key: unknown; value: AlertRecord }>;
}

/** Where the evaluator keeps its own plain-data state between batches (the store's `meta` table). */
export interface MetaReader {
  get(key: string): unknown;
  getRange(options: { start: string; end: string }): Iterable<{ key: unknown; value: unknown }>;
}

export interface HostContext {
  /** Shared by all hosts of the partition, so the memory budget is global. */
  readonly instances: ResidentSet;
  readonly deadlines: DeadlineQueue;
  nextSeq(): number;
  /** Transitions kept per instance for inspection. */
  readonly historyLimit: number;
}

/** An input item as a host receives it: a point, or an event counted as a sample of 1. */
export type Item = { readonly kind: 'point'; readonly point: DataPoint } | { readonly kind: 'event'; readonly event: VigilEvent };

export interface RuleHost {
  readonly rule: CompiledRule;
  /** A deadline this host armed came due. */
  onDeadline(actorId: string, at: number, fx: BatchEffects): void;
}
