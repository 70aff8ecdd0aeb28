/**
 * Alert instance: the raw truth of one (rule, group). It receives edges only
 * (condition became true/false, a deadline passed, the group went silent),
 * never one event per point. Every wait — `for`, `keep firing`, a flapping
 * hold — is an absolute event-time deadline in the context, not an xstate
 * `after` timer, because timers are not part of a persisted snapshot (xstate #5331).
 */
import { assign, setup } from 'xstate';

/** How the rule shapes the instance's life; refreshed by the host when the rule changes. */
export interface AlertTiming {
  /** How long the condition must hold before firing. */
  readonly forMs: number;
  /** Once firing, how long to stay firing after the condition stops holding. */
  readonly keepFiringMs: number;
  /** Entering or leaving `firing` this many times within `flapWithinMs` is flapping (0 = off). */
  readonly flapChanges: number;
  readonly flapWithinMs: number;
}

export interface AlertInstanceContext extends AlertTiming {
  /** Event time the condition last became true, while pending or firing. */
  readonly activeSince: number | null;
  /** Event time the alert started firing. */
  readonly firingSince: number | null;
  /** Event time of the pending wait's end, or of a firing alert's held resolve. */
  readonly deadline: number | null;
  /** Why a firing alert has a deadline: `keep firing for`, or a flapping hold. */
  readonly hold: 'keep' | 'flap' | null;
  /** The value carried by the last edge. */
  readonly lastValue: number;
  /** Times the instance entered or left `firing` within the flapping window (only kept when flapping is on). */
  readonly changes: readonly number[];
  /** Firing because its group stopped reporting (`no data for … fire`). */
  readonly noData: boolean;
}

export type AlertInstanceEvent =
  | { type: 'condition.true'; ts: number; value: number }
  | { type: 'condition.false'; ts: number; value: number }
  | { type: 'deadline'; ts: number }
  | { type: 'nodata'; ts: number; action: 'fire' | 'resolve' };

export type AlertInstanceInput = Partial<AlertTiming>;

type Ev<T extends AlertInstanceEvent['type']> = Extract<AlertInstanceEvent, { type: T }>;

/** Shared by every instance that never flaps: an empty array per instance would cost memory for nothing. */
const NO_CHANGES: readonly number[] = Object.freeze([]);

/** `changes` with `ts` added, trimmed to the flapping window; empty when flapping is off. */
function recordChange(c: AlertInstanceContext, ts: number): readonly number[] {
  if (c.flapChanges <= 0) return c.changes;
  return [...c.changes.filter((t) => t > ts - c.flapWithinMs), ts];
}

export const alertInstanceMachine = setup({
  types: {
    context: {} as AlertInstanceContext,
    events: {} as AlertInstanceEvent,
    input: {} as AlertInstanceInput,
  },
  guards: {
    noWait: ({ context }) => context.forMs <= 0,
    deadlineReached: ({ context, event }) => context.deadline !== null && event.ts >= context.deadline,
    // This resolve would be the N-th change within the window.
    flapping: ({ context: c, event }) => c.flapChanges > 0 && c.changes.filter((t) => t > event.ts - c.flapWithinMs).length + 1 >= c.flapChanges,
    keepFiring: ({ context }) => context.keepFiringMs > 0,
    held: ({ context }) => context.hold !== null,
    isNoData: ({ context }) => context.noData,
    noDataFire: ({ event }) => (event as Ev<'nodata'>).action === 'fire',
    noDataResolve: ({ event }) => (event as Ev<'nodata'>).action === 'resolve',
  },
  actions: {
    startPending: assign(({ context, event }) => {
      const e = event as Ev<'condition.true'>;
      return { activeSince: e.ts, deadline: e.ts + context.forMs, hold: null, lastValue: e.value, firingSince: null, noData: false };
    }),
    fireNow: assign(({ context, event }) => {
      const e = event as Ev<'condition.true'>;
      return { activeSince: e.ts, firingSince: e.ts, deadline: null, hold: null, lastValue: e.value, noData: false, changes: recordChange(context, e.ts) };
    }),
    fireAtDeadline: assign(({ context }) => ({ firingSince: context.deadline, deadline: null, changes: recordChange(context, context.deadline!) })),
    fireNoData: assign(({ context, event }) => ({
      activeSince: context.activeSince ?? event.ts,
      firingSince: event.ts,
      deadline: null,
      hold: null,
      noData: true,
      lastValue: Number.NaN,
      changes: recordChange(context, event.ts),
    })),
    markNoData: assign({ noData: true }),
    cancelHold: assign(({ event }) => ({ deadline: null, hold: null, noData: false, lastValue: (event as Ev<'condition.true'>).value })),
    clearNoData: assign({ noData: false }),
    holdFlapping: assign(({ context, event }) => ({ deadline: event.ts + context.flapWithinMs, hold: 'flap' as const, lastValue: (event as Ev<'condition.false'>).value })),
    holdKeep: assign(({ context, event }) => ({ deadline: event.ts + context.keepFiringMs, hold: 'keep' as const, lastValue: (event as Ev<'condition.false'>).value })),
    clear: assign(({ event }) => {
      const e = event as Ev<'condition.false'>;
      return { activeSince: null, firingSince: null, deadline: null, hold: null, noData: false, lastValue: e.value };
    }),
    resolve: assign(({ context, event }) => ({
      activeSince: null,
      firingSince: null,
      deadline: null,
      hold: null,
      noData: false,
      lastValue: 'value' in event ? event.value : context.lastValue,
      changes: recordChange(context, event.type === 'deadline' ? context.deadline! : event.ts),
    })),
    drop: assign({ activeSince: null, deadline: null, hold: null }),
  },
}).createMachine({
  id: 'alert-instance',
  initial: 'inactive',
  context: ({ input }) => ({
    forMs: input.forMs ?? 0,
    keepFiringMs: input.keepFiringMs ?? 0,
    flapChanges: input.flapChanges ?? 0,
    flapWithinMs: input.flapWithinMs ?? 0,
    activeSince: null,
    firingSince: null,
    deadline: null,
    hold: null,
    lastValue: Number.NaN,
    changes: NO_CHANGES,
    noData: false,
  }),
  states: {
    inactive: {
      on: {
        'condition.true': [
          { guard: 'noWait', target: 'firing', actions: 'fireNow' },
          { target: 'pending', actions: 'startPending' },
        ],
        nodata: { guard: 'noDataFire', target: 'firing', actions: 'fireNoData' },
      },
    },
    pending: {
      on: {
        'condition.false': { target: 'inactive', actions: 'clear' },
        deadline: { guard: 'deadlineReached', target: 'firing', actions: 'fireAtDeadline' },
        nodata: [
          { guard: 'noDataFire', target: 'firing', actions: 'fireNoData' },
          { guard: 'noDataResolve', target: 'inactive', actions: 'drop' },
        ],
      },
    },
    firing: {
      on: {
        'condition.true': [{ guard: 'held', actions: 'cancelHold' }, { guard: 'isNoData', actions: 'clearNoData' }],
        'condition.false': [
          { guard: 'held' },
          { guard: 'flapping', actions: 'holdFlapping' },
          { guard: 'keepFiring', actions: 'holdKeep' },
          { target: 'resolved', actions: 'resolve' },
        ],
        deadline: { guard: 'deadlineReached', target: 'resolved', actions: 'resolve' },
        nodata: [
          { guard: 'noDataFire', actions: 'markNoData' },
          { guard: 'noDataResolve', target: 'resolved', actions: 'resolve' },
        ],
      },
    },
    resolved: {
      on: {
        'condition.true': [
          { guard: 'noWait', target: 'firing', actions: 'fireNow' },
          { target: 'pending', actions: 'startPending' },
        ],
        nodata: { guard: 'noDataFire', target: 'firing', actions: 'fireNoData' },
      },
    },
  },
});

export type AlertInstanceStateValue = 'inactive' | 'pending' | 'firing' | 'resolved';
