/** Correlate's records as AdminService actors: listed next to rules and alerts, inspected with their deadlines. */
import { clusterDeadlines } from '../../actors/index.js';
import type { CorrelateRecord } from '../correlate/index.js';
import { silenceState } from './correlation-messages.js';

/** The record kinds correlate keeps, by id prefix, in id order. */
export const correlateKinds = ['cluster', 'consolidated', 'incident', 'inhibitor', 'silence'] as const;

export interface ActorSummary {
  id: string;
  kind: string;
  state: string;
  labels: Record<string, string>;
  sinceMs: number;
}

export interface ActorDetailMsg extends ActorSummary {
  contextJson: string;
  deadlines: Array<{ atMs: number; purpose: string }>;
  transitions: never[];
  resident: boolean;
  rule: string;
  snapshotVersion: number;
}

/** What a record shows as its state: a machine state, or what it does for people (`notified`, `held`, `inhibiting`, a silence's phase). */
export function correlateSummary(r: CorrelateRecord, now: number): ActorSummary {
  const base = { id: r.id, kind: r.kind };
  switch (r.kind) {
    case 'cluster':
      return { ...base, state: r.snapshot.state, labels: { cluster: r.cluster }, sinceMs: r.snapshot.context.since ?? 0 };
    case 'consolidated': {
      const since = Math.min(...Object.values(r.members).map((m) => m.since));
      return { ...base, state: r.told ? 'notified' : 'held', labels: { ...r.labels }, sinceMs: r.told?.since ?? (Number.isFinite(since) ? since : 0) };
    }
    case 'incident':
      return { ...base, state: r.snapshot.state, labels: { ...r.labels }, sinceMs: r.snapshot.context.openedAt ?? 0 };
    case 'inhibitor':
      return { ...base, state: 'inhibiting', labels: { ...r.labels }, sinceMs: r.since };
    case 'silence':
      return { ...base, state: silenceState(r, now), labels: {}, sinceMs: r.startsAt };
  }
}

export function correlateDetail(r: CorrelateRecord, now: number): ActorDetailMsg {
  const { kind: _kind, id: _id, ...context } = r;
  const deadlines =
    r.kind === 'cluster'
      ? clusterDeadlines(r.snapshot).map((atMs) => ({ atMs, purpose: atMs === r.snapshot.context.heartbeatDeadline ? 'heartbeat: unreachable unless one arrives' : `${r.snapshot.state} ends` }))
      : r.kind === 'silence' && r.expiredAt === null && r.endsAt > now
        ? [{ atMs: r.endsAt, purpose: 'silence ends' }]
        : [];
  return {
    ...correlateSummary(r, now),
    contextJson: JSON.stringify(context),
    deadlines,
    transitions: [],
    resident: true,
    rule: r.kind === 'consolidated' || r.kind === 'inhibitor' ? r.rule : '',
    snapshotVersion: r.kind === 'cluster' || r.kind === 'incident' ? r.snapshot.v : r.v,
  };
}
