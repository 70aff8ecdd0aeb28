/**
 * Cluster: the lifecycle of one monitored cluster — `active`, `upgrading`,
 * `maintenance`, `unreachable` — which decides whether its alerts may notify.
 * Upgrade time-outs and missed heartbeats are absolute event-time deadlines in
 * the context, driven by `deadline` events from the correlator's deadline
 * queue, never xstate `after` timers (a restored actor never fires those,
 * xstate #5331).
 */
import { assign, setup } from 'xstate';

/** A suppression window: an upgrade or a maintenance. */
export interface ClusterWindow {
  readonly kind: 'upgrade' | 'maintenance';
  /** Event time the window began. */
  readonly since: number;
  /** The end declared when it began (operator `--for`, event field `until`), or null when open-ended. */
  readonly until: number | null;
  /** When the window ends by itself: `until`, or `since + upgradeTimeoutMs` for an open-ended upgrade. */
  readonly deadline: number | null;
  /** Who began it: `event` or `operator:<name>`. */
  readonly by: string;
}

export interface ClusterContext {
  /** How long an upgrade without a declared end may last before it times out. */
  readonly upgradeTimeoutMs: number;
  /** Silence after the last heartbeat that makes the cluster unreachable; null disables monitoring. */
  readonly heartbeatTimeoutMs: number | null;
  readonly window: ClusterWindow | null;
  /** Newest heartbeat seen; heartbeat monitoring starts with the first one. */
  readonly lastHeartbeat: number | null;
  /** When the cluster becomes unreachable unless a heartbeat arrives; null while a window pauses monitoring. */
  readonly heartbeatDeadline: number | null;
  /** Event time the cluster became unreachable, while it is. */
  readonly unreachableSince: number | null;
  /** An open-ended upgrade that passed its time-out; stays set (its alert firing) until a late finish or the next upgrade. */
  readonly upgradeTimedOut: { readonly since: number; readonly at: number } | null;
  /** Event time of the last change of state. */
  readonly since: number | null;
}

export type ClusterEvent =
  | { type: 'upgrade.start'; ts: number; until?: number | null; by?: string }
  | { type: 'upgrade.finish'; ts: number }
  | { type: 'maintenance.start'; ts: number; until?: number | null; by?: string }
  | { type: 'maintenance.finish'; ts: number }
  | { type: 'heartbeat'; ts: number }
  | { type: 'deadline'; ts: number };

export interface ClusterInput {
  upgradeTimeoutMs: number;
  heartbeatTimeoutMs: number | null;
}

type StartEvent = Extract<ClusterEvent, { type: 'upgrade.start' | 'maintenance.start' }>;

function openWindow(context: ClusterContext, e: StartEvent): Partial<ClusterContext> {
  const kind = e.type === 'upgrade.start' ? 'upgrade' : 'maintenance';
  const until = e.until ?? null;
  const deadline = until ?? (kind === 'upgrade' ? e.ts + context.upgradeTimeoutMs : null);
  return {
    window: { kind, since: e.ts, until, deadline, by: e.by ?? 'event' },
    since: e.ts,
    // Nodes restart during upgrades: missing heartbeats inside a window are expected.
    heartbeatDeadline: null,
    unreachableSince: null,
    ...(kind === 'upgrade' ? { upgradeTimedOut: null } : {}),
  };
}

/** After a window, heartbeat monitoring restarts with a full grace period. */
function closeWindow(context: ClusterContext, ts: number): Partial<ClusterContext> {
  const monitored = context.lastHeartbeat !== null && context.heartbeatTimeoutMs !== null;
  return { window: null, since: ts, heartbeatDeadline: monitored ? ts + context.heartbeatTimeoutMs! : null };
}

const clusterSetup = setup({
  types: {
    context: {} as ClusterContext,
    events: {} as ClusterEvent,
    input: {} as ClusterInput,
  },
  guards: {
    heartbeatDue: ({ context, event }) => context.heartbeatDeadline !== null && event.ts >= context.heartbeatDeadline,
    windowDue: ({ context, event }) => context.window?.deadline != null && event.ts >= context.window.deadline,
    timedOut: ({ context }) => context.upgradeTimedOut !== null,
  },
  actions: {
    startWindow: assign(({ context, event }) => openWindow(context, event as StartEvent)),
    endWindow: assign(({ context, event }) => closeWindow(context, event.ts)),
    // A window that reaches its deadline ends at the deadline, whenever the deadline event is delivered.
    expireWindow: assign(({ context }) => {
      const w = context.window!;
      const at = w.deadline!;
      const timedOut = w.kind === 'upgrade' && w.until === null ? { upgradeTimedOut: { since: w.since, at } } : {};
      return { ...closeWindow(context, at), ...timedOut };
    }),
    heartbeat: assign(({ context, event }) => {
      const last = Math.max(context.lastHeartbeat ?? event.ts, event.ts);
      return { lastHeartbeat: last, heartbeatDeadline: context.heartbeatTimeoutMs === null ? null : last + context.heartbeatTimeoutMs };
    }),
    heartbeatInWindow: assign(({ context, event }) => ({ lastHeartbeat: Math.max(context.lastHeartbeat ?? event.ts, event.ts) })),
    reachable: assign(({ event }) => ({ unreachableSince: null, since: event.ts })),
    unreachable: assign(({ context }) => ({ unreachableSince: context.heartbeatDeadline, since: context.heartbeatDeadline, heartbeatDeadline: null })),
    clearTimedOut: assign({ upgradeTimedOut: null }),
  },
});

// What both `active` and `unreachable` accept: a window begins, a late finish clears a time-out.
const outsideWindow = {
  'upgrade.start': { target: 'upgrading', actions: 'startWindow' },
  'maintenance.start': { target: 'maintenance', actions: 'startWindow' },
  // A finish after the time-out: the upgrade did end, so its time-out alert resolves.
  'upgrade.finish': { guard: 'timedOut', actions: 'clearTimedOut' },
} as const;

export const clusterMachine = clusterSetup.createMachine({
  id: 'cluster',
  initial: 'active',
  context: ({ input }) => ({
    upgradeTimeoutMs: input.upgradeTimeoutMs,
    heartbeatTimeoutMs: input.heartbeatTimeoutMs,
    window: null,
    lastHeartbeat: null,
    heartbeatDeadline: null,
    unreachableSince: null,
    upgradeTimedOut: null,
    since: null,
  }),
  states: {
    active: {
      on: {
        ...outsideWindow,
        heartbeat: { actions: 'heartbeat' },
        deadline: { guard: 'heartbeatDue', target: 'unreachable', actions: 'unreachable' },
      },
    },
    unreachable: {
      on: {
        // A planned window explains the silence: it takes over from unreachable.
        ...outsideWindow,
        heartbeat: { target: 'active', actions: ['heartbeat', 'reachable'] },
      },
    },
    upgrading: {
      on: {
        'upgrade.finish': { target: 'active', actions: 'endWindow' },
        'maintenance.start': { target: 'maintenance', actions: 'startWindow' },
        heartbeat: { actions: 'heartbeatInWindow' },
        deadline: { guard: 'windowDue', target: 'active', actions: 'expireWindow' },
      },
    },
    maintenance: {
      on: {
        'maintenance.finish': { target: 'active', actions: 'endWindow' },
        heartbeat: { actions: 'heartbeatInWindow' },
        deadline: { guard: 'windowDue', target: 'active', actions: 'expireWindow' },
      },
    },
  },
});

export type ClusterStateValue = 'active' | 'upgrading' | 'maintenance' | 'unreachable';
