/**
 * Incident: one problem across clusters, keyed by the correlation signature of
 * its alerts. Members (one per cluster) join while firing and recover; the
 * incident resolves when its last firing member recovers. Acknowledging stops
 * re-notification (delivery's repeats) but never holds off resolution.
 */
import { assign, setup } from 'xstate';

export interface IncidentMemberState {
  readonly state: 'firing' | 'resolved';
  /** Event time of the member's last change. */
  readonly since: number;
}

export interface IncidentContext {
  /** Members of the current occurrence, by member id (the cluster, or the alert when the rule has no scope). */
  readonly members: Readonly<Record<string, IncidentMemberState>>;
  readonly openedAt: number | null;
  readonly resolvedAt: number | null;
  readonly acknowledged: { readonly at: number; readonly by: string } | null;
  /** Times the incident opened: a resolved incident that fires again is the next occurrence. */
  readonly occurrence: number;
}

export type IncidentEvent =
  | { type: 'member.firing'; member: string; ts: number }
  | { type: 'member.recovered'; member: string; ts: number }
  | { type: 'acknowledge'; ts: number; by: string };

type MemberEvent = Extract<IncidentEvent, { member: string }>;

const firingCount = (members: IncidentContext['members']): number => Object.values(members).filter((m) => m.state === 'firing').length;

const incidentSetup = setup({
  types: {
    context: {} as IncidentContext,
    events: {} as IncidentEvent,
  },
  guards: {
    memberNotFiring: ({ context, event }) => context.members[(event as MemberEvent).member]?.state !== 'firing',
    memberFiring: ({ context, event }) => context.members[(event as MemberEvent).member]?.state === 'firing',
    lastFiringMember: ({ context, event }) => context.members[(event as MemberEvent).member]?.state === 'firing' && firingCount(context.members) === 1,
  },
  actions: {
    open: assign(({ context, event }) => {
      const e = event as MemberEvent;
      return { members: { [e.member]: { state: 'firing', since: e.ts } }, openedAt: e.ts, resolvedAt: null, acknowledged: null, occurrence: context.occurrence + 1 };
    }),
    setMember: assign(({ context, event }) => {
      const e = event as MemberEvent;
      const state = e.type === 'member.firing' ? 'firing' : 'resolved';
      return { members: { ...context.members, [e.member]: { state, since: e.ts } } };
    }),
    resolve: assign(({ event }) => ({ resolvedAt: event.ts })),
    acknowledge: assign(({ event }) => {
      const e = event as Extract<IncidentEvent, { type: 'acknowledge' }>;
      return { acknowledged: { at: e.ts, by: e.by } };
    }),
  },
});

// Open and acknowledged incidents treat members alike: acknowledging changes who is re-notified, not membership.
const memberChanges = {
  'member.firing': { guard: 'memberNotFiring', actions: 'setMember' },
  'member.recovered': [
    { guard: 'lastFiringMember', target: 'resolved', actions: ['setMember', 'resolve'] },
    { guard: 'memberFiring', actions: 'setMember' },
  ],
} as const;

export const incidentMachine = incidentSetup.createMachine({
  id: 'incident',
  initial: 'idle',
  context: { members: {}, openedAt: null, resolvedAt: null, acknowledged: null, occurrence: 0 },
  states: {
    idle: {
      on: { 'member.firing': { target: 'open', actions: 'open' } },
    },
    open: {
      on: {
        ...memberChanges,
        acknowledge: { target: 'acknowledged', actions: 'acknowledge' },
      },
    },
    acknowledged: {
      on: {
        ...memberChanges,
      },
    },
    resolved: {
      on: { 'member.firing': { target: 'open', actions: 'open' } },
    },
  },
});

export type IncidentStateValue = 'idle' | 'open' | 'acknowledged' | 'resolved';
