/** Correlate's records as the messages of proto/vigil/v1/correlation.proto. */
import { silenceEnd, silenceInForce, type ClusterRecord, type IncidentRecord, type MatcherSpec, type SilenceRecord } from '../correlate/index.js';

export interface ClusterMsg {
  id: string;
  cluster: string;
  state: string;
  sinceMs: number;
  untilMs: number;
  by: string;
  lastHeartbeatMs: number;
  upgradeTimedOut: boolean;
  subjects: string[];
}

export interface SilenceMsg {
  id: string;
  matchers: MatcherSpec[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
  createdAtMs: number;
  expiredAtMs: number;
  state: 'pending' | 'active' | 'expired';
  affected: string[];
}

export interface IncidentMsg {
  id: string;
  signature: string;
  state: string;
  severity: string;
  occurrence: number;
  openedAtMs: number;
  resolvedAtMs: number;
  acknowledgedBy: string;
  acknowledgedAtMs: number;
  members: Array<{ id: string; state: string; labels: Record<string, string> }>;
}

export function toClusterMsg(r: ClusterRecord): ClusterMsg {
  const c = r.snapshot.context;
  const w = r.snapshot.state === 'upgrading' || r.snapshot.state === 'maintenance' ? c.window : null;
  return {
    id: r.id,
    cluster: r.cluster,
    state: r.snapshot.state,
    sinceMs: c.since ?? 0,
    untilMs: w?.deadline ?? 0,
    by: w?.by ?? '',
    lastHeartbeatMs: c.lastHeartbeat ?? 0,
    upgradeTimedOut: c.upgradeTimedOut !== null,
    subjects: [...r.subjects],
  };
}

/** `state` at event time `now`: pending before it starts, expired once it ended or was expired. */
export function silenceState(s: SilenceRecord, now: number): SilenceMsg['state'] {
  if (silenceInForce(s, now)) return 'active';
  return now < s.startsAt && now < silenceEnd(s) ? 'pending' : 'expired';
}

export function toSilenceMsg(s: SilenceRecord, now: number): SilenceMsg {
  return {
    id: s.silence,
    matchers: s.matchers.map((m) => ({ ...m })),
    startsAtMs: s.startsAt,
    endsAtMs: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
    createdAtMs: s.createdAt,
    expiredAtMs: s.expiredAt ?? 0,
    state: silenceState(s, now),
    affected: [...s.affected],
  };
}

export function toIncidentMsg(r: IncidentRecord): IncidentMsg {
  const c = r.snapshot.context;
  return {
    id: r.id,
    signature: r.signature,
    state: r.snapshot.state,
    severity: r.severity,
    occurrence: c.occurrence,
    openedAtMs: c.openedAt ?? 0,
    resolvedAtMs: c.resolvedAt ?? 0,
    acknowledgedBy: c.acknowledged?.by ?? '',
    acknowledgedAtMs: c.acknowledged?.at ?? 0,
    members: Object.entries(c.members).map(([id, m]) => ({ id, state: m.state, labels: { ...(r.memberLabels[id] ?? {}) } })),
  };
}
