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
  /** The last evaluated condition, so only edges reach the machine. */
  readonly condition: boolean;
  /** Number of transitions so far: the deterministic id of the next one. */
  readonly transitions: number;
  /** Event time of the last evaluated sample. */
  readonly lastSeen: number;
  readonly history: readonly TransitionRecord[];
}

export type ActorRecord = AlertRecord;
