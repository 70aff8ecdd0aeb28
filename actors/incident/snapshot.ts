/** Incident snapshots as plain versioned data and the pure step function over them. */
import { initialTransition, transition } from 'xstate';
import { incidentMachine, type IncidentContext, type IncidentEvent, type IncidentStateValue } from './machine.js';

/** Bump when the persisted shape changes; `restoreIncidentSnapshot` must keep reading older versions. */
export const INCIDENT_SNAPSHOT_VERSION = 1;

export interface IncidentSnapshot {
  readonly v: number;
  readonly state: IncidentStateValue;
  readonly context: IncidentContext;
}

export function initialIncidentSnapshot(): IncidentSnapshot {
  const [snap] = initialTransition(incidentMachine);
  return { v: INCIDENT_SNAPSHOT_VERSION, state: snap.value as IncidentStateValue, context: snap.context };
}

/** Applies one event; returns the same object when nothing changed. */
export function stepIncident(current: IncidentSnapshot, event: IncidentEvent): IncidentSnapshot {
  const resolved = incidentMachine.resolveState({ value: current.state, context: current.context });
  const [next] = transition(incidentMachine, resolved, event);
  if (next.value === current.state && next.context === resolved.context) return current;
  return { v: INCIDENT_SNAPSHOT_VERSION, state: next.value as IncidentStateValue, context: next.context };
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
