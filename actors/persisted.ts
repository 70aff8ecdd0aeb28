/**
 * What every actor's snapshot module shares: a machine state as plain
 * versioned data, and the pure step over it (xstate's `transition()`, never a
 * live actor). Each machine keeps its own version constant and restore rules.
 */
import { initialTransition, transition, type AnyStateMachine, type EventObject } from 'xstate';

export interface PersistedSnapshot<S extends string, C> {
  readonly v: number;
  readonly state: S;
  readonly context: C;
}

export function initialSnapshotOf<S extends string, C>(machine: AnyStateMachine, v: number, input?: unknown): PersistedSnapshot<S, C> {
  const [snap] = initialTransition(machine, input);
  return { v, state: snap.value as S, context: snap.context as C };
}

/** Applies one event; returns the same object when nothing changed. */
export function stepSnapshotOf<S extends string, C>(machine: AnyStateMachine, v: number, current: PersistedSnapshot<S, C>, event: EventObject): PersistedSnapshot<S, C> {
  const resolved = machine.resolveState({ value: current.state, context: current.context });
  const [next] = transition(machine, resolved, event);
  if (next.value === current.state && next.context === resolved.context) return current;
  return { v, state: next.value as S, context: next.context as C };
}
