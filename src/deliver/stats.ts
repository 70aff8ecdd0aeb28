/**
 * Delivery outcomes per receiver: OpenTelemetry counters for dashboards, and
 * the same figures kept in memory for `vigil deliveries stats` (since start).
 */
import { vigilMeter } from '../telemetry/index.js';
import type { AttemptError } from './model.js';

/** `outbox_full`: a notification archived when planned because the receiver's share of the outbox was full. */
export type DeliveryOutcome = 'sent' | 'retried' | 'failed_temporary' | 'failed_permanent' | 'archived' | 'outbox_full';

const meter = vigilMeter;

/** The deliver stage's instruments; without a started SDK they are no-ops. */
export const deliveryInstruments = {
  outcomes: meter.createCounter('vigil_delivery_outcomes', {
    description: 'Delivery attempts and their outcome (sent, retried, failed_temporary, failed_permanent, archived, outbox_full), per receiver',
  }),
  attemptDuration: meter.createHistogram('vigil_delivery_attempt_duration', { description: 'Time of one delivery attempt', unit: 'ms' }),
};

export interface ReceiverStats {
  readonly receiver: string;
  readonly type: string;
  readonly sent: number;
  /** Attempts made after an earlier attempt failed. */
  readonly retried: number;
  readonly failedTemporary: number;
  readonly failedPermanent: number;
  readonly archived: number;
  /** Notifications archived when planned, because this receiver's share of the outbox was full (OUTBOX_FULL). */
  readonly outboxFull: number;
  /** Deliveries in the outbox now (pending notifications not counted until their group flushes). */
  readonly queued: number;
  /** Notifications waiting for their group to flush. */
  readonly waiting: number;
  /** `waiting + queued` may reach this; beyond it new firing notifications are archived. */
  readonly maxOutboxEntries: number;
  /** Wall-clock ms since which the outbox has been full for this receiver; absent when it has room. A health signal. */
  readonly outboxFullSince?: number;
  /** Age of the oldest queued delivery, ms; 0 when none. */
  readonly oldestQueuedAgeMs: number;
  readonly inFlight: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
}

type Counts = { -readonly [K in 'sent' | 'retried' | 'failedTemporary' | 'failedPermanent' | 'archived' | 'outboxFull']: number };
const zero = (): Counts => ({ sent: 0, retried: 0, failedTemporary: 0, failedPermanent: 0, archived: 0, outboxFull: 0 });

const field: Record<DeliveryOutcome, keyof Counts> = {
  sent: 'sent',
  retried: 'retried',
  failed_temporary: 'failedTemporary',
  failed_permanent: 'failedPermanent',
  archived: 'archived',
  outbox_full: 'outboxFull',
};

/** Counts outcomes for one dispatcher. */
export class OutcomeCounter {
  private readonly counts = new Map<string, Counts>();

  record(receiver: string, outcome: DeliveryOutcome): void {
    let c = this.counts.get(receiver);
    if (!c) this.counts.set(receiver, (c = zero()));
    c[field[outcome]] += 1;
    deliveryInstruments.outcomes.add(1, { receiver, outcome });
  }

  of(receiver: string): Counts {
    return { ...zero(), ...this.counts.get(receiver) };
  }
}

/** Deliveries waiting in the outbox, per receiver; observed from the running dispatcher. */
export const queuedGauge = meter.createObservableGauge('vigil_delivery_queued', { description: 'Deliveries in the outbox (queued or retrying), per receiver' });

/** What the dispatcher knows of one receiver's queue right now. */
export interface QueueState {
  readonly name: string;
  readonly type: string;
  readonly inFlight: number;
  readonly queued: number;
  readonly waiting: number;
  /** Wall-clock ms of the oldest queued delivery's commit; Infinity when none. */
  readonly oldestQueuedAt: number;
  readonly maxOutboxEntries: number;
  readonly fullSince?: number;
}

export interface StatsInput {
  readonly receivers: readonly QueueState[];
  readonly counter: OutcomeCounter;
  readonly lastErrors: ReadonlyMap<string, AttemptError>;
  readonly now: number;
}

/** One row per receiver the dispatcher knows: configured ones, plus any the outbox still names. */
export function receiverStats(input: StatsInput): ReceiverStats[] {
  return [...input.receivers]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r) => {
      const lastError = input.lastErrors.get(r.name);
      return {
        receiver: r.name,
        type: r.type,
        ...input.counter.of(r.name),
        queued: r.queued,
        waiting: r.waiting,
        oldestQueuedAgeMs: r.queued > 0 && Number.isFinite(r.oldestQueuedAt) ? Math.max(0, input.now - r.oldestQueuedAt) : 0,
        inFlight: r.inFlight,
        maxOutboxEntries: r.maxOutboxEntries,
        ...(r.fullSince !== undefined ? { outboxFullSince: r.fullSince } : {}),
        ...(lastError ? { lastError: { code: lastError.code, message: lastError.message, at: lastError.at } } : {}),
      };
    });
}
