/** What the deliver stage stores and hands to receivers: notifications, outbox records, archived deliveries. */
import type { AlertEvent, IncidentEvent, IncidentMember, Tags } from '../core/index.js';

export type { IncidentEvent, IncidentMember } from '../core/index.js';

/** An alert event; its optional `annotations` (summary, description, runbook, ...) title and describe notifications. */
export type DeliverableAlertEvent = AlertEvent & { readonly kind?: 'alert' };

export type DeliverableEvent = DeliverableAlertEvent | IncidentEvent;

export type NotificationStatus = 'firing' | 'resolved' | 'acknowledged';

/** One transition worth telling a receiver about. */
export interface Notification {
  /** Idempotency key: the transition id, `<alert or incident id>#<n>`. */
  readonly key: string;
  /** Alert event log sequence number; orders notifications of one subject. */
  readonly seq: number;
  /** What the notification is about: the alert actor id or the incident id. Stable across transitions. */
  readonly subject: string;
  readonly kind: 'alert' | 'incident';
  readonly status: NotificationStatus;
  /** Incident changes only: what changed. */
  readonly change?: IncidentEvent['change'];
  /** Matching labels: the event's labels plus `alertname` (the rule) and `severity`. */
  readonly labels: Tags;
  readonly annotations: Tags;
  readonly title: string;
  readonly value: number | null;
  /** Event time the subject started firing, ms epoch. */
  readonly startsAt: number;
  /** Event time it resolved, when it did. */
  readonly endsAt?: number;
  readonly members?: readonly IncidentMember[];
}

/** Per-route notification policy, frozen into each outbox record so a config change does not rewrite history. */
export interface NotificationPolicy {
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly sendResolved: boolean;
}

export const OUTBOX_RECORD_VERSION = 1;

/** A planned notification for one receiver, waiting for its group to flush. Written in the batch commit. */
export interface PendingRecord {
  readonly kind: 'pending';
  readonly v: number;
  readonly receiver: string;
  readonly route: string;
  readonly groupKey: string;
  readonly groupLabels: Tags;
  readonly policy: NotificationPolicy;
  readonly notification: Notification;
  /** Wall-clock ms of the commit that planned it; max age counts from here. */
  readonly createdAt: number;
}

/** What a group last told its receiver; drives group interval and repeat interval. */
export interface GroupRecord {
  readonly kind: 'group';
  readonly v: number;
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Tags;
  readonly policy: NotificationPolicy;
  /** Wall-clock ms of the last flush. */
  readonly lastFlushAt: number;
  /** Repeat notifications sent since the last change. */
  readonly repeats: number;
  /** Subjects still firing, with their latest notification. */
  readonly firing: readonly Notification[];
}

export interface AttemptError {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  /** Wall-clock ms. */
  readonly at: number;
}

/** One message to one receiver: frozen at flush time so every retry sends the same thing with the same key. */
export interface DeliveryRecord {
  readonly kind: 'delivery';
  readonly v: number;
  /** `<receiver>:<idempotency key>`; what `vigil deliveries retry ID` takes. */
  readonly id: string;
  readonly receiver: string;
  /** Deterministic idempotency key sent in the receiver's dedup field. */
  readonly key: string;
  readonly groupKey: string;
  readonly groupLabels: Tags;
  /** Deliveries of one lane go out in order: a resolve never overtakes its trigger. */
  readonly lane: string;
  readonly order: readonly [number, number];
  readonly repeat: boolean;
  readonly notifications: readonly Notification[];
  /** Wall-clock ms of the oldest notification's commit. */
  readonly createdAt: number;
  readonly attempts: number;
  /** Wall-clock ms of the next attempt. */
  readonly nextAttemptAt: number;
  readonly lastError?: AttemptError;
}

export interface ArchiveReason {
  readonly code: string;
  readonly message: string;
}

/** A delivery Vigil gave up on, kept for inspection and `retry`. */
export interface ArchivedRecord extends Omit<DeliveryRecord, 'kind'> {
  readonly kind: 'archived';
  readonly archivedAt: number;
  readonly reason: ArchiveReason;
}

export type OutboxRecord = PendingRecord | GroupRecord | DeliveryRecord;

/** What a receiver is asked to send. */
export interface DeliveryRequest {
  readonly id: string;
  readonly key: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Tags;
  readonly repeat: boolean;
  readonly notifications: readonly Notification[];
  /** 1 on the first try. */
  readonly attempt: number;
}
