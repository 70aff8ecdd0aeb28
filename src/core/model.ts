/** The data that flows through the pipeline, shared by every stage. */

export type Tags = Readonly<Record<string, string>>;

/** Where an input came from, so its effects can be committed with its offset. */
export interface SourceRef {
  /** e.g. `grpc`, `kafka:points/3`, `file:demo.ndjson`. */
  readonly source: string;
  readonly offset?: number;
}

/** One metric sample. `ts` is event time in ms since the epoch. */
export interface DataPoint {
  readonly name: string;
  readonly tags: Tags;
  readonly value: number;
  readonly ts: number;
}

/**
 * Something that happened, rather than a sample: a log signature, a job
 * start/finish, a cluster upgrade start/end, a heartbeat. `type` is dotted
 * (`job.started`, `cluster.upgrade.started`); `ts` is event time in ms.
 */
export interface VigilEvent {
  readonly type: string;
  readonly tags: Tags;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly ts: number;
}

/** The state an alert instance reports to the outside world. */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** One entry of the alert event log: an alert instance changed state. */
export interface AlertEvent {
  /** Position in the alert event log; strictly increasing, never reused. */
  readonly seq: number;
  /** Deterministic id of this transition, `<actor id>#<seq>`: the same input always gives the same id. */
  readonly id: string;
  readonly rule: string;
  /** Actor id of the alert instance, `alert/<rule>/<group>`. */
  readonly alert: string;
  readonly labels: Tags;
  readonly from: AlertState;
  readonly to: AlertState;
  /** Event time of the transition. */
  readonly ts: number;
  /** The value that triggered it (NaN when a deadline did). */
  readonly value: number;
  readonly severity: string;
  /** The rule's annotations rendered for this alert and value. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Set when the transition happened because the group stopped reporting (`no data for`). */
  readonly noData?: boolean;
}

/** One member of an incident (a cluster's consolidated alert), as shown in tickets and templates. */
export interface IncidentMember {
  readonly id: string;
  readonly labels: Tags;
  readonly state: 'firing' | 'suppressed' | 'resolved';
}

/** A change of a cross-cluster incident: what correlate emits and delivery turns into one ticket per incident. */
export interface IncidentEvent {
  readonly kind: 'incident';
  readonly seq: number;
  /** Deterministic id of this change: `<incident id>#<seq>`. */
  readonly id: string;
  /** Incident id, `incident/<signature>`: stable across occurrences, so a ticket is found again. */
  readonly incident: string;
  readonly title: string;
  readonly labels: Tags;
  readonly annotations?: Tags;
  readonly change: 'opened' | 'members-changed' | 'acknowledged' | 'resolved';
  readonly members: readonly IncidentMember[];
  readonly severity: string;
  readonly ts: number;
}
