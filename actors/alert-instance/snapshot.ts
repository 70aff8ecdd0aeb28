/** Alert-instance snapshots as plain versioned data, and the pure step function over them. */
import { initialTransition, transition } from 'xstate';
import { alertInstanceMachine, type AlertInstanceContext, type AlertInstanceEvent, type AlertInstanceStateValue } from './machine.js';

/** Bump when the persisted shape changes; `restore` must keep reading older versions. */
export const ALERT_SNAPSHOT_VERSION = 1;

export interface AlertInstanceSnapshot {
  readonly v: number;
  readonly state: AlertInstanceStateValue;
  readonly context: AlertInstanceContext;
}

export function initialAlertSnapshot(forMs: number): AlertInstanceSnapshot {
  const [snap] = initialTransition(alertInstanceMachine, { forMs });
  return { v: ALERT_SNAPSHOT_VERSION, state: snap.value as AlertInstanceStateValue, context: snap.context };
}

/** Applies one edge; returns the same object when nothing changed. */
export function stepAlert(current: AlertInstanceSnapshot, event: AlertInstanceEvent): AlertInstanceSnapshot {
  const resolved = alertInstanceMachine.resolveState({ value: current.state, context: current.context });
  const [next] = transition(alertInstanceMachine, resolved, event);
  if (next.value === current.state && next.context === resolved.context) return current;
  return { v: ALERT_SNAPSHOT_VERSION, state: next.value as AlertInstanceStateValue, context: next.context };
}

/** Reads a snapshot of any known version. */
export function restoreAlertSnapshot(raw: unknown): AlertInstanceSnapshot {
  const s = raw as AlertInstanceSnapshot;
  if (s.v !== ALERT_SNAPSHOT_VERSION) throw new Error(`unknown alert snapshot version ${String(s.v)}`);
  return s;
}
