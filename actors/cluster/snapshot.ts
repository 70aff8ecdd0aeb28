/** Cluster snapshots as plain versioned data, the pure step function over them, and the deadlines they arm. */
import { initialTransition, transition } from 'xstate';
import { clusterMachine, type ClusterContext, type ClusterEvent, type ClusterInput, type ClusterStateValue } from './machine.js';

/** Bump when the persisted shape changes; `restoreClusterSnapshot` must keep reading older versions. */
export const CLUSTER_SNAPSHOT_VERSION = 1;

export interface ClusterSnapshot {
  readonly v: number;
  readonly state: ClusterStateValue;
  readonly context: ClusterContext;
}

export function initialClusterSnapshot(input: ClusterInput): ClusterSnapshot {
  const [snap] = initialTransition(clusterMachine, input);
  return { v: CLUSTER_SNAPSHOT_VERSION, state: snap.value as ClusterStateValue, context: snap.context };
}

/** Applies one event; returns the same object when nothing changed. */
export function stepCluster(current: ClusterSnapshot, event: ClusterEvent): ClusterSnapshot {
  const resolved = clusterMachine.resolveState({ value: current.state, context: current.context });
  const [next] = transition(clusterMachine, resolved, event);
  if (next.value === current.state && next.context === resolved.context) return current;
  return { v: CLUSTER_SNAPSHOT_VERSION, state: next.value as ClusterStateValue, context: next.context };
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
