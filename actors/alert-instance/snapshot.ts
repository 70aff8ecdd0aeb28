/** Alert-instance snapshots as plain versioned data, and the pure step function over them. */
import { initialTransition, transition } from 'xstate';
import { alertInstanceMachine, type AlertInstanceContext, type AlertInstanceEvent, type AlertInstanceStateValue, type AlertTiming } from './machine.js';

/** Bump when the persisted shape changes; `restore` must keep reading older versions. */
export const ALERT_SNAPSHOT_VERSION = 2;

export interface AlertInstanceSnapshot {
  readonly v: number;
  readonly state: AlertInstanceStateValue;
  readonly context: AlertInstanceContext;
}

export function initialAlertSnapshot(timing: Partial<AlertTiming> | number): AlertInstanceSnapshot {
  const input = typeof timing === 'number' ? { forMs: timing } : timing;
  const [snap] = initialTransition(alertInstanceMachine, input);
  return { v: ALERT_SNAPSHOT_VERSION, state: snap.value as AlertInstanceStateValue, context: snap.context };
}

/** Applies one edge; returns the same object when nothing changed. */
export function stepAlert(current: AlertInstanceSnapshot, event: AlertInstanceEvent): AlertInstanceSnapshot {
  const resolved = alertInstanceMachine.resolveState({ value: current.state, context: current.context });
  const [next] = transition(alertInstanceMachine, resolved, event);
  if (next.value === current.state && next.context === resolved.context) return current;
  return { v: ALERT_SNAPSHOT_VERSION, state: next.value as AlertInstanceStateValue, context: next.context };
}

/** The snapshot with the rule's current timing (a changed rule applies to instances already running). */
export function withTiming(s: AlertInstanceSnapshot, t: AlertTiming): AlertInstanceSnapshot {
  const c = s.context;
  if (c.forMs === t.forMs && c.keepFiringMs === t.keepFiringMs && c.flapChanges === t.flapChanges && c.flapWithinMs === t.flapWithinMs) return s;
  return { ...s, context: { ...c, ...t } };
}

/** Reads a snapshot of any known version. Version 1 had only `for`. */
export function restoreAlertSnapshot(raw: unknown): AlertInstanceSnapshot {
  const s = raw as AlertInstanceSnapshot;
  if (s.v === 1) {
    const old = s.context as Pick<AlertInstanceContext, 'forMs' | 'activeSince' | 'firingSince' | 'deadline' | 'lastValue'>;
    return { v: ALERT_SNAPSHOT_VERSION, state: s.state, context: { keepFiringMs: 0, flapChanges: 0, flapWithinMs: 0, hold: null, changes: [], noData: false, ...old } };
  }
  if (s.v !== ALERT_SNAPSHOT_VERSION) throw new Error(`unknown alert snapshot version ${String(s.v)}`);
  return s;
}
