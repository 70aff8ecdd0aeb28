/** The shapes persisted in LMDB. Every record that can outlive a release carries a version. */
import type { AlertInstanceSnapshot } from '../../actors/index.js';
import type { AlertState, Tags } from '../core/index.js';

export interface StoredRule {
  readonly name: string;
  /** Canonical rule text; compiled again on load. */
  readonly source: string;
  /** Starts at 1 and grows by one on every update. */
  readonly version: number;
  /** Wall-clock ms of the last change (an edge, not evaluation time). */
  readonly updatedAt: number;
}

/** One transition of an actor, kept for inspection ("why is this firing?"). */
export interface TransitionRecord {
  readonly from: AlertState;
  readonly to: AlertState;
  readonly ts: number;
  readonly value: number;
  readonly cause: string;
}

export const ALERT_RECORD_VERSION = 1;

/** An alert instance actor: its machine snapshot plus what the host needs around it. */
export interface AlertRecord {
  readonly kind: 'alert';
  readonly v: number;
  readonly id: string;
  readonly rule: string;
  readonly labels: Tags;
  readonly snapshot: AlertInstanceSnapshot;
  /** The last edge sent, so only edges reach the machine; null after a no-data edge (then true and false both go through). */
  readonly condition: boolean | null;
  /** Number of transitions so far: the deterministic id of the next one. */
  readonly transitions: number;
  /** Event time of the last evaluated sample. */
  readonly lastSeen: number;
  readonly history: readonly TransitionRecord[];
  /** Step rules: the group's open steps, slot history and `N of M` window. Mutated in place between commits. */
  readonly step?: StepRecord;
  /** Event time of the group's newest data, for `no data for`. */
  readonly lastData?: number;
  /** The armed absence deadline (`no data for`), or null once it passed. */
  readonly noDataAt?: number | null;
}

/** One data expression's samples in one step of one group (see evaluate/aggregate.ts). */
export interface Accumulator {
  n: number;
  sum: number;
  min: number;
  max: number;
  lastTs: number;
  last: number;
  /** Every value, for percentiles. */
  values?: number[];
  /** Samples per series, for `rate`. */
  series?: Record<string, Array<[number, number]>>;
}

/** A step of a group that has not closed yet. */
export interface OpenStep {
  readonly k: number;
  /** One accumulator per input of the rule (null: no sample yet). */
  readonly acc: Array<Accumulator | null>;
  /** Distinct source tuples seen, for `expect N sources`. */
  sources?: string[];
}

/** A step value as stored: null is "no data". */
export type StoredStepValue = number | boolean | null;

export interface StepRecord {
  /** The rule text this state was computed for; a changed rule starts afresh. */
  rule: string;
  /** Index of the last closed step of this group. */
  closed: number;
  /** Open steps, oldest first. */
  open: OpenStep[];
  /** Index of the newest closed step that had data (null: none yet). */
  lastDataStep: number | null;
  /** Per history slot, values of past steps, newest (step `closed`) first. */
  hist: StoredStepValue[][];
  /** Indices of recent steps whose condition was true, for `N of M`. */
  trues: number[];
}

export type ActorRecord = AlertRecord;
