/** Alert-instance snapshots as plain versioned data, and the pure step function over them. */
import { initialSnapshotOf, stepSnapshotOf, type PersistedSnapshot } from '../persisted.js';
import { alertInstanceMachine, type AlertInstanceContext, type AlertInstanceEvent, type AlertInstanceStateValue, type AlertTiming } from './machine.js';

/** Bump when the persisted shape changes; `restore` must keep reading older versions. */
export const ALERT_SNAPSHOT_VERSION = 2;

export type AlertInstanceSnapshot = PersistedSnapshot<AlertInstanceStateValue, AlertInstanceContext>;

export function initialAlertSnapshot(timing: Partial<AlertTiming> | number): AlertInstanceSnapshot {
  const input = typeof timing === 'number' ? { forMs: timing } : timing;
  return initialSnapshotOf(alertInstanceMachine, ALERT_SNAPSHOT_VERSION, input);
}

/** Applies one edge; returns the same object when nothing changed. */
export function stepAlert(current: AlertInstanceSnapshot, event: AlertInstanceEvent): AlertInstanceSnapshot {
  return stepSnapshotOf(alertInstanceMachine, ALERT_SNAPSHOT_VERSION, current, event);
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
