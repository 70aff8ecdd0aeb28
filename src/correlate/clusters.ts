/**
 * Cluster hosts: apply lifecycle events and operator commands to cluster
 * actors, arm their deadlines, raise the alerts the cluster itself stands for
 * (upgrade time-out, unreachable) and, when a window ends, have the cluster's
 * consolidated alerts reconciled.
 */
import { clusterDeadlines, initialClusterSnapshot, stepCluster, type ClusterEvent, type ClusterSnapshot, type ClusterStateValue } from '../../actors/index.js';
import { ErrorCodes, VigilError, type AlertEvent } from '../core/index.js';
import type { ClusterView } from './consolidate.js';
import type { DeadlineList } from './deadlines.js';
import type { CorrelateEffects } from './effects.js';
import { clusterAlertId, clusterId, UNREACHABLE_RULE, UPGRADE_TIMEOUT_RULE } from './ids.js';
import { CORRELATE_RECORD_VERSION, type ClusterRecord, type SuppressionReason } from './model.js';
import type { RecordCache } from './record-cache.js';

/** Thrown (returned, in command results) when an operator names a cluster Vigil has never heard of. */
export class ClusterNotFoundError extends VigilError {
  override readonly name = 'ClusterNotFoundError';
  constructor(readonly cluster: string) {
    super(ErrorCodes.CLUSTER_NOT_FOUND, `cluster "${cluster}" is not known (no lifecycle event, command or scoped alert named it)`);
  }
}

export interface ClusterOptions {
  /** An upgrade without a declared end times out after this long and raises `vigil:cluster_upgrade_timeout`. */
  readonly upgradeTimeoutMs: number;
  /** No heartbeat from a cluster for this long makes it unreachable; null switches heartbeat monitoring off. */
  readonly heartbeatTimeoutMs: number | null;
}

/** What clusters ask of the rest of correlate. */
export interface ClusterHooks {
  release(records: readonly string[], ts: number, cause: string, fx: CorrelateEffects): void;
  raise(event: AlertEvent, fx: CorrelateEffects): void;
}

const releaseKind: Record<ClusterStateValue, string> = { active: '', upgrading: 'upgrade', maintenance: 'maintenance', unreachable: 'inhibition' };

export class Clusters implements ClusterView {
  constructor(
    private readonly records: RecordCache,
    private readonly deadlines: DeadlineList,
    private readonly options: ClusterOptions,
    private readonly nextSeq: () => number,
    private readonly hooks: ClusterHooks,
  ) {}

  get(cluster: string): ClusterRecord | undefined {
    return this.records.get(clusterId(cluster), 'cluster');
  }

  windowOf(cluster: string | null): SuppressionReason | null {
    if (cluster === null) return null;
    const rec = this.get(cluster);
    if (!rec) return null;
    const { state, context: c } = rec.snapshot;
    const w = c.window;
    if ((state === 'upgrading' || state === 'maintenance') && w) {
      return { kind: w.kind, id: rec.id, since: w.since, ...(w.deadline !== null ? { until: w.deadline } : {}), by: w.by };
    }
    if (state === 'unreachable') return { kind: 'inhibition', id: clusterAlertId(UNREACHABLE_RULE, cluster), since: c.unreachableSince!, by: 'cluster unreachable' };
    return null;
  }

  attach(cluster: string, record: string, fx: CorrelateEffects): void {
    const rec = this.get(cluster) ?? this.create(cluster);
    if (!rec.subjects.includes(record)) this.records.put({ ...rec, subjects: [...rec.subjects, record] }, fx);
  }

  detach(cluster: string, record: string, fx: CorrelateEffects): void {
    const rec = this.get(cluster);
    if (!rec || !rec.subjects.includes(record)) return;
    const next = { ...rec, subjects: rec.subjects.filter((s) => s !== record) };
    // A cluster known only through its alerts leaves no record behind.
    if (next.subjects.length === 0 && isPristine(next.snapshot)) this.records.remove(rec.id, fx);
    else this.records.put(next, fx);
  }

  /** Applies a lifecycle event or command; `mustExist` refuses a cluster never heard of (ending a window). */
  apply(cluster: string, event: ClusterEvent, fx: CorrelateEffects, mustExist = false): ClusterRecord | VigilError {
    const rec = this.get(cluster) ?? (mustExist ? undefined : this.create(cluster));
    if (!rec) return new ClusterNotFoundError(cluster);
    const before = rec.snapshot;
    const after = stepCluster(before, event);
    if (after === before) return rec;
    const next: ClusterRecord = { ...rec, snapshot: after };
    this.records.put(next, fx);
    this.syncDeadlines(rec.id, before, after, fx);
    const timedOutBefore = before.context.upgradeTimedOut;
    const timedOutAfter = after.context.upgradeTimedOut;
    if (!timedOutBefore && timedOutAfter) this.raise(UPGRADE_TIMEOUT_RULE, cluster, 'firing', timedOutAfter.at, 'warning', `the upgrade of cluster ${cluster} begun at ${iso(timedOutAfter.since)} did not finish within ${this.options.upgradeTimeoutMs} ms`, fx);
    if (timedOutBefore && !timedOutAfter) this.raise(UPGRADE_TIMEOUT_RULE, cluster, 'resolved', event.ts, 'warning', `the upgrade of cluster ${cluster} ended`, fx);
    const lostSince = after.context.unreachableSince;
    if (before.context.unreachableSince === null && lostSince !== null) this.raise(UNREACHABLE_RULE, cluster, 'firing', lostSince, 'critical', `no heartbeat from cluster ${cluster} for ${this.options.heartbeatTimeoutMs} ms`, fx);
    if (before.context.unreachableSince !== null && lostSince === null) this.raise(UNREACHABLE_RULE, cluster, 'resolved', event.ts, 'critical', `cluster ${cluster} sends heartbeats again`, fx);
    if (before.state !== 'active' && after.state === 'active') {
      this.hooks.release(this.get(cluster)!.subjects, after.context.since!, `release:${releaseKind[before.state]}:${rec.id}`, fx);
    }
    return this.get(cluster) ?? next;
  }

  /** A deadline armed for `cluster/<id>` came due; stale ones (the machine moved on) change nothing. */
  onDeadline(id: string, at: number, fx: CorrelateEffects): void {
    const rec = this.records.get(id, 'cluster');
    if (rec && clusterDeadlines(rec.snapshot).includes(at)) this.apply(rec.cluster, { type: 'deadline', ts: at }, fx);
  }

  private create(cluster: string): ClusterRecord {
    return { kind: 'cluster', v: CORRELATE_RECORD_VERSION, id: clusterId(cluster), cluster, snapshot: initialClusterSnapshot(this.options), subjects: [] };
  }

  private syncDeadlines(id: string, before: ClusterSnapshot, after: ClusterSnapshot, fx: CorrelateEffects): void {
    const old = clusterDeadlines(before);
    const now = clusterDeadlines(after);
    for (const at of old) {
      if (now.includes(at)) continue;
      fx.removeDeadline(at, id);
      this.deadlines.remove(at, id);
    }
    for (const at of now) {
      if (old.includes(at)) continue;
      fx.addDeadline(at, id);
      this.deadlines.add(at, id);
    }
  }

  private raise(rule: string, cluster: string, to: 'firing' | 'resolved', ts: number, severity: string, summary: string, fx: CorrelateEffects): void {
    const alert = clusterAlertId(rule, cluster);
    const seq = this.nextSeq();
    const event: AlertEvent = {
      seq,
      id: `${alert}#${seq}`,
      rule,
      alert,
      labels: { cluster },
      from: to === 'firing' ? 'inactive' : 'firing',
      to,
      ts,
      value: Number.NaN,
      severity,
      annotations: { summary },
    };
    fx.raised.push(event);
    this.hooks.raise(event, fx);
  }
}

function isPristine(s: ClusterSnapshot): boolean {
  const c = s.context;
  // `since` is set by any change of state: a cluster that ever had a window stays listed.
  return s.state === 'active' && c.since === null && c.lastHeartbeat === null;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
