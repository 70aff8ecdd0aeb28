/** What correlate reads, persists and decides: records, suppression reasons, decisions and the events delivery turns into notifications. */
import type { ClusterSnapshot, IncidentSnapshot } from '../../actors/index.js';
import type { AlertEvent, IncidentEvent, IncidentMember, Tags } from '../core/index.js';

/** Why an alert notifies nobody. `id` names what suppresses it: the cluster actor, the silence, or the inhibiting alert. */
export interface SuppressionReason {
  readonly kind: 'upgrade' | 'maintenance' | 'silence' | 'inhibition';
  readonly id: string;
  /** Event time the suppression began. */
  readonly since: number;
  /** Event time it is planned to end, when known. */
  readonly until?: number;
  /** Who or what set it up: `event`, `operator:<name>`, a silence's author, `rule <name>` or `inhibit_rules <name>`. */
  readonly by?: string;
}

/**
 * What correlate made of one input alert event:
 * - `notify`: it changed what people are told; `notification` is the id of the event in `notifications`.
 * - `suppressed`: people are not told, and why.
 * - `folded`: it joined or left a consolidated alert (or incident) people already know about.
 * - `none`: not a transition anyone is told about (e.g. inactive → pending).
 */
export type Decision =
  | { readonly event: string; readonly alert: string; readonly ts: number; readonly verdict: 'notify'; readonly subject: string; readonly notification: string }
  | { readonly event: string; readonly alert: string; readonly ts: number; readonly verdict: 'suppressed'; readonly subject: string; readonly reason: SuppressionReason }
  | { readonly event: string; readonly alert: string; readonly ts: number; readonly verdict: 'folded'; readonly subject: string }
  | { readonly event: string; readonly alert: string; readonly ts: number; readonly verdict: 'none' };

/**
 * A change of what people are told about one subject (a consolidated alert, or
 * an unscoped alert instance). Shaped like an AlertEvent so delivery's
 * `plan()` takes it as is: `alert` is the subject, `id` is `<subject>#<seq>`.
 */
export interface NoticeEvent extends AlertEvent {
  readonly kind: 'alert';
  /** The input alert event that caused it, or what ended a suppression (`release:<kind>:<id>`). */
  readonly cause: string;
}

export type IncidentMemberView = IncidentMember;

/** A change of a cross-cluster incident: deliver's `IncidentEvent` (core), plus what changed. */
export interface IncidentChange extends IncidentEvent {
  /** The member that joined or recovered, for `opened`, `members-changed` and `resolved`. */
  readonly member?: { readonly id: string; readonly change: 'joined' | 'recovered' };
  readonly occurrence: number;
  readonly acknowledged: boolean;
}

/** Everything delivery hears from correlate, in order. */
export type CorrelatedEvent = NoticeEvent | IncidentChange;

export const CORRELATE_RECORD_VERSION = 1;

/** A cluster actor: its lifecycle snapshot and the consolidated alerts to reconcile when a window ends. */
export interface ClusterRecord {
  readonly kind: 'cluster';
  readonly v: number;
  /** `cluster/<cluster>`. */
  readonly id: string;
  readonly cluster: string;
  readonly snapshot: ClusterSnapshot;
  /** Ids of this cluster's consolidated-alert records that hold firing members or a told firing. */
  readonly subjects: readonly string[];
}

/** A member of a consolidated alert: an alert instance that is firing (raw truth). */
export interface ConsolidatedMember {
  readonly labels: Tags;
  readonly since: number;
  readonly value: number;
}

/**
 * What people see of one (rule, scope value) — or of one alert instance when
 * the rule has no scope: which members fire, and what people were told.
 */
export interface ConsolidatedRecord {
  readonly kind: 'consolidated';
  readonly v: number;
  /** `consolidated/<rule>/<key>`. */
  readonly id: string;
  /** The notification subject: `alert/<rule>/<scope>=<value>`, or the instance's own id. */
  readonly subject: string;
  readonly rule: string;
  /** The scope value, or null for a rule without scope. */
  readonly cluster: string | null;
  readonly labels: Tags;
  readonly severity: string;
  readonly annotations?: Tags;
  /** The rendered correlation signature: when set, changes go to the incident instead of to an alert notification. */
  readonly signature: string | null;
  readonly members: Readonly<Record<string, ConsolidatedMember>>;
  /** Firing as people were told it, since when; null when told nothing or resolved. */
  readonly told: { readonly since: number } | null;
}

/** An incident actor, keyed by signature. */
export interface IncidentRecord {
  readonly kind: 'incident';
  readonly v: number;
  /** `incident/<signature>`. */
  readonly id: string;
  readonly signature: string;
  readonly labels: Tags;
  readonly annotations?: Tags;
  readonly severity: string;
  readonly snapshot: IncidentSnapshot;
  /** Labels of each member, as shown in tickets. */
  readonly memberLabels: Readonly<Record<string, Tags>>;
}

/** A matcher as data: `label op value`, the same operators as the rule language. */
export interface MatcherSpec {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface SilenceRecord {
  readonly kind: 'silence';
  readonly v: number;
  /** `silence/<id>`. */
  readonly id: string;
  readonly silence: string;
  readonly matchers: readonly MatcherSpec[];
  /** Event time. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: number;
  /** Event time an operator expired it early. */
  readonly expiredAt: number | null;
  /** Consolidated-alert records held back by this silence, reconciled when it ends. */
  readonly affected: readonly string[];
}

/** A firing alert that inhibits others (its rule's `inhibit`, or a configured inhibition rule's source). */
export interface InhibitorRecord {
  readonly kind: 'inhibitor';
  readonly v: number;
  /** `inhibitor/<alert id>`. */
  readonly id: string;
  readonly alert: string;
  readonly rule: string;
  readonly labels: Tags;
  readonly cluster: string | null;
  readonly since: number;
  /** Configured inhibition rules it is a source of (by name); the rule's own `inhibit` is read from the rule. */
  readonly configured: readonly string[];
  readonly affected: readonly string[];
}

export type CorrelateRecord = ClusterRecord | ConsolidatedRecord | IncidentRecord | SilenceRecord | InhibitorRecord;

/**
 * Reads committed correlate records (the store's `actors` table, in
 * production). `list` is used at start for silences and inhibitors, which
 * every alert is matched against; everything else loads lazily by id.
 */
export interface CorrelateReader {
  get(id: string): CorrelateRecord | undefined;
  list(prefix: string): Iterable<CorrelateRecord>;
}
