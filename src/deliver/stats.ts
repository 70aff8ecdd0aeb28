/**
 * Delivery outcomes per receiver: OpenTelemetry counters for dashboards, and
 * the same figures kept in memory for `vigil deliveries stats` (since start).
 */
import { metrics } from '@opentelemetry/api';
import type { AttemptError, DeliveryRecord } from './model.js';

export type DeliveryOutcome = 'sent' | 'retried' | 'failed_temporary' | 'failed_permanent' | 'archived';

const meter = metrics.getMeter('vigil');

/** The deliver stage's instruments; without a started SDK they are no-ops. */
export const deliveryInstruments = {
  outcomes: meter.createCounter('vigil_delivery_outcomes', {
    description: 'Delivery attempts and their outcome (sent, retried, failed_temporary, failed_permanent, archived), per receiver',
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
  /** Deliveries in the outbox now (pending notifications not counted until their group flushes). */
  readonly queued: number;
  /** Age of the oldest queued delivery, ms; 0 when none. */
  readonly oldestQueuedAgeMs: number;
  readonly inFlight: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
}

type Counts = { -readonly [K in 'sent' | 'retried' | 'failedTemporary' | 'failedPermanent' | 'archived']: number };

const field: Record<DeliveryOutcome, keyof Counts> = {
  sent: 'sent',
  retried: 'retried',
  failed_temporary: 'failedTemporary',
  failed_permanent: 'failedPermanent',
  archived: 'archived',
};

/** Counts outcomes for one dispatcher. */
export class OutcomeCounter {
  private readonly counts = new Map<string, Counts>();

  record(receiver: string, outcome: DeliveryOutcome): void {
    let c = this.counts.get(receiver);
    if (!c) this.counts.set(receiver, (c = { sent: 0, retried: 0, failedTemporary: 0, failedPermanent: 0, archived: 0 }));
    c[field[outcome]] += 1;
    deliveryInstruments.outcomes.add(1, { receiver, outcome });
  }

  of(receiver: string): Counts {
    return { sent: 0, retried: 0, failedTemporary: 0, failedPermanent: 0, archived: 0, ...this.counts.get(receiver) };
  }
}

/** Deliveries waiting in the outbox, per receiver; observed from the running dispatcher. */
export const queuedGauge = meter.createObservableGauge('vigil_delivery_queued', { description: 'Deliveries in the outbox (queued or retrying), per receiver' });

export interface StatsInput {
  readonly receivers: ReadonlyArray<{ readonly name: string; readonly type: string; readonly inFlight: number }>;
  readonly deliveries: readonly DeliveryRecord[];
  readonly counter: OutcomeCounter;
  readonly lastErrors: ReadonlyMap<string, AttemptError>;
  readonly now: number;
}

/** One row per configured receiver, plus receivers the outbox still names but the config no longer has. */
export function receiverStats(input: StatsInput): ReceiverStats[] {
  const known = new Map(input.receivers.map((r) => [r.name, r]));
  const names = new Set([...known.keys(), ...input.deliveries.map((d) => d.receiver)]);
  return [...names].sort().map((receiver) => {
    const queued = input.deliveries.filter((d) => d.receiver === receiver);
    const oldest = Math.min(...queued.map((d) => d.createdAt));
    const lastError = input.lastErrors.get(receiver);
    return {
      receiver,
      type: known.get(receiver)?.type ?? 'unknown',
      ...input.counter.of(receiver),
      queued: queued.length,
      oldestQueuedAgeMs: queued.length > 0 ? Math.max(0, input.now - oldest) : 0,
      inFlight: known.get(receiver)?.inFlight ?? 0,
      ...(lastError ? { lastError: { code: lastError.code, message: lastError.message, at: lastError.at } } : {}),
    };
  });
}
