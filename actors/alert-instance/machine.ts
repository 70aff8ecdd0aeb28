/**
 * Alert instance: the raw truth of one (rule, group). It receives edges only
 * (condition became true/false, a deadline passed), never one event per point.
 * `for` is an absolute event-time deadline in the context, not an xstate `after`
 * timer, because timers are not part of a persisted snapshot (xstate #5331).
 */
import { assign, setup } from 'xstate';

export interface AlertInstanceContext {
  /** How long the condition must hold before firing. */
  readonly forMs: number;
  /** Event time the condition last became true, while pending or firing. */
  readonly activeSince: number | null;
  /** Event time the alert started firing. */
  readonly firingSince: number | null;
  /** Event time at which a pending alert fires, when pending. */
  readonly deadline: number | null;
  /** The value carried by the last edge. */
  readonly lastValue: number;
}

export type AlertInstanceEvent =
  | { type: 'condition.true'; ts: number; value: number }
  | { type: 'condition.false'; ts: number; value: number }
  | { type: 'deadline'; ts: number };

export interface AlertInstanceInput {
  forMs: number;
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
  },
  actions: {
    startPending: assign(({ context, event }) => {
      const e = event as Extract<AlertInstanceEvent, { type: 'condition.true' }>;
      return { activeSince: e.ts, deadline: e.ts + context.forMs, lastValue: e.value, firingSince: null };
    }),
    fireNow: assign(({ event }) => {
      const e = event as Extract<AlertInstanceEvent, { type: 'condition.true' }>;
      return { activeSince: e.ts, firingSince: e.ts, deadline: null, lastValue: e.value };
    }),
    fireAtDeadline: assign(({ context }) => ({ firingSince: context.deadline, deadline: null })),
    clear: assign(({ event }) => {
      const e = event as Extract<AlertInstanceEvent, { type: 'condition.false' }>;
      return { activeSince: null, firingSince: null, deadline: null, lastValue: e.value };
    }),
  },
}).createMachine({
  id: 'alert-instance',
  initial: 'inactive',
  context: ({ input }) => ({ forMs: input.forMs, activeSince: null, firingSince: null, deadline: null, lastValue: Number.NaN }),
  states: {
    inactive: {
      on: {
        'condition.true': [
          { guard: 'noWait', target: 'firing', actions: 'fireNow' },
          { target: 'pending', actions: 'startPending' },
        ],
      },
    },
    pending: {
      on: {
        'condition.false': { target: 'inactive', actions: 'clear' },
        deadline: { guard: 'deadlineReached', target: 'firing', actions: 'fireAtDeadline' },
      },
    },
    firing: {
      on: {
        'condition.false': { target: 'resolved', actions: 'clear' },
      },
    },
    resolved: {
      on: {
        'condition.true': [
          { guard: 'noWait', target: 'firing', actions: 'fireNow' },
          { target: 'pending', actions: 'startPending' },
        ],
      },
    },
  },
});

export type AlertInstanceStateValue = 'inactive' | 'pending' | 'firing' | 'resolved';
