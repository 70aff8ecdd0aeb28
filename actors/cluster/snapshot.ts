/** Cluster snapshots as plain versioned data, the pure step function over them, and the deadlines they arm. */
import { initialSnapshotOf, stepSnapshotOf, type PersistedSnapshot } from '../persisted.js';
import { clusterMachine, type ClusterContext, type ClusterEvent, type ClusterInput, type ClusterStateValue } from './machine.js';

/** Bump when the persisted shape changes; `restoreClusterSnapshot` must keep reading older versions. */
export const CLUSTER_SNAPSHOT_VERSION = 1;

export type ClusterSnapshot = PersistedSnapshot<ClusterStateValue, ClusterContext>;

export function initialClusterSnapshot(input: ClusterInput): ClusterSnapshot {
  return initialSnapshotOf(clusterMachine, CLUSTER_SNAPSHOT_VERSION, input);
}

/** Applies one event; returns the same object when nothing changed. */
export function stepCluster(current: ClusterSnapshot, event: ClusterEvent): ClusterSnapshot {
  return stepSnapshotOf(clusterMachine, CLUSTER_SNAPSHOT_VERSION, current, event);
}

/** Reads a snapshot of any known version. */
export function restoreClusterSnapshot(raw: unknown): ClusterSnapshot {
  const s = raw as ClusterSnapshot;
  if (s.v !== CLUSTER_SNAPSHOT_VERSION) throw new Error(`unknown cluster snapshot version ${String(s.v)}`);
  return s;
}

/** The event times at which this snapshot expects a `deadline` event, earliest first, without repeats. */
export function clusterDeadlines(s: ClusterSnapshot): number[] {
  const at = new Set<number>();
  if (s.context.window?.deadline != null) at.add(s.context.window.deadline);
  if (s.context.heartbeatDeadline !== null) at.add(s.context.heartbeatDeadline);
  return [...at].sort((a, b) => a - b);
}

/** True while the cluster's alerts must not notify: upgrading, in maintenance or unreachable. */
export function isSuppressing(s: ClusterSnapshot): boolean {
  return s.state !== 'active';
}
