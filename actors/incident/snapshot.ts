/** Incident snapshots as plain versioned data and the pure step function over them. */
import { initialSnapshotOf, stepSnapshotOf, type PersistedSnapshot } from '../persisted.js';
import { incidentMachine, type IncidentContext, type IncidentEvent, type IncidentStateValue } from './machine.js';

/** Bump when the persisted shape changes; `restoreIncidentSnapshot` must keep reading older versions. */
export const INCIDENT_SNAPSHOT_VERSION = 1;

export type IncidentSnapshot = PersistedSnapshot<IncidentStateValue, IncidentContext>;

export function initialIncidentSnapshot(): IncidentSnapshot {
  return initialSnapshotOf(incidentMachine, INCIDENT_SNAPSHOT_VERSION);
}

/** Applies one event; returns the same object when nothing changed. */
export function stepIncident(current: IncidentSnapshot, event: IncidentEvent): IncidentSnapshot {
  return stepSnapshotOf(incidentMachine, INCIDENT_SNAPSHOT_VERSION, current, event);
}

/** Reads a snapshot of any known version. */
export function restoreIncidentSnapshot(raw: unknown): IncidentSnapshot {
  const s = raw as IncidentSnapshot;
  if (s.v !== INCIDENT_SNAPSHOT_VERSION) throw new Error(`unknown incident snapshot version ${String(s.v)}`);
  return s;
}

/** Open or acknowledged: members are firing. */
export function isIncidentOpen(s: IncidentSnapshot): boolean {
  return s.state === 'open' || s.state === 'acknowledged';
}
