/**
 * Each receiver's share of the outbox (`maxOutboxEntries`): whether it is
 * full, since when, and the log lines an on-call engineer needs — one when
 * a receiver's share fills and its new notifications start going to the
 * archive (OUTBOX_FULL), one when it has room again.
 */
import type { Logger } from '../telemetry/index.js';
import { defaultLimits } from './config.js';
import type { ArchivedRecord } from './model.js';
import type { OutcomeCounter } from './stats.js';

export interface OutboxSharesOptions {
  /** `maxOutboxEntries` of a receiver; undefined for one the config no longer has. */
  readonly limitOf: (receiver: string) => number | undefined;
  /** Notifications a receiver has in the outbox now. */
  readonly occupancy: (receiver: string) => number;
  readonly counter: OutcomeCounter;
  readonly log: Logger;
}

export class OutboxShares {
  /** Receivers whose share is full, since when (wall-clock ms). */
  private readonly fullSince = new Map<string, number>();

  constructor(private readonly options: OutboxSharesOptions) {}

  limit(receiver: string): number {
    return this.options.limitOf(receiver) ?? defaultLimits.maxOutboxEntries;
  }

  /** Wall-clock ms since which the receiver's share has been full; undefined while it has room. */
  since(receiver: string): number | undefined {
    return this.fullSince.get(receiver);
  }

  /** Notifications of a committed plan that went to the archive because the share was full. */
  overflowed(archived: readonly ArchivedRecord[]): void {
    for (const a of archived) {
      this.options.counter.record(a.receiver, 'outbox_full');
      if (this.fullSince.has(a.receiver)) continue;
      this.fullSince.set(a.receiver, a.archivedAt);
      this.options.log('warn', 'outbox full for this receiver: new notifications go to the archive (OUTBOX_FULL) until it has room', {
        receiver: a.receiver,
        queued: this.options.occupancy(a.receiver),
        maxOutboxEntries: this.limit(a.receiver),
      });
    }
  }

  /** Clears the full state of a receiver that has room again. */
  check(receiver: string, now: number): void {
    const since = this.fullSince.get(receiver);
    if (since === undefined || this.options.occupancy(receiver) >= this.limit(receiver)) return;
    this.fullSince.delete(receiver);
    this.options.log('info', 'outbox has room again for this receiver', { receiver, fullForMs: now - since });
  }
}
