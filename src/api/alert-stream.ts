/**
 * One StreamAlerts subscriber. It catches up from the event log at the pace
 * the client reads (one page in memory at a time), then follows live events
 * through a bounded buffer. A subscriber whose buffer overflows is ended with
 * SUBSCRIBER_TOO_SLOW and the sequence to resume after, so a slow client costs
 * bounded memory and loses nothing.
 */
import type * as grpc from '@grpc/grpc-js';
import { SequenceTrimmedError, type AlertEvent } from '../core/index.js';
import type { Engine } from '../engine.js';
import type { AlertFilter } from './alert-filter.js';
import { SubscriberTooSlowError } from './errors.js';
import type { AlertEventMsg } from './messages.js';
import { toServiceError } from './status.js';

export interface SubscriptionOptions {
  /** Live events held for a client that reads slower than they commit. */
  readonly maxBufferedEvents: number;
  /** Events read from the log at a time while catching up. */
  readonly pageSize: number;
  /** Called once when the subscription ends, however it ends. */
  readonly onEnd: () => void;
}

export function toAlertEventMsg(e: AlertEvent): AlertEventMsg {
  return {
    sequence: e.seq,
    id: e.id,
    rule: e.rule,
    alert: e.alert,
    labels: { ...e.labels },
    fromState: e.from,
    toState: e.to,
    tsMs: e.ts,
    value: e.value,
    severity: e.severity,
    annotations: { ...e.annotations },
    noData: e.noData === true,
  };
}

export class AlertSubscription {
  /** Every event up to here was written to the client or filtered out. */
  private last: number;
  private readonly buffer: AlertEvent[] = [];
  private mode: 'catch-up' | 'live' | 'ended' = 'catch-up';
  private waitingForDrain = false;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly engine: Engine,
    private readonly call: grpc.ServerWritableStream<unknown, AlertEventMsg>,
    private readonly filter: AlertFilter,
    afterSequence: number,
    private readonly options: SubscriptionOptions,
  ) {
    this.last = afterSequence;
  }

  start(): void {
    this.unsubscribe = this.engine.subscribe((events) => this.committed(events));
    const end = (): void => this.end();
    this.call.on('cancelled', end);
    this.call.on('close', end);
    this.call.on('finish', end);
    this.call.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
    this.pump();
  }

  /** Live events: buffered in live mode; while catching up they are read from the log instead. */
  private committed(events: readonly AlertEvent[]): void {
    if (this.mode !== 'live') return;
    for (const e of events) if (e.seq > this.last && this.filter(e)) this.buffer.push(e);
    this.pump();
    if (this.buffer.length > this.options.maxBufferedEvents) this.fail(new SubscriberTooSlowError(this.last, this.options.maxBufferedEvents));
  }

  /** Writes until the transport pushes back (then waits for 'drain') or nothing is left. */
  private pump(): void {
    while (this.mode !== 'ended' && !this.waitingForDrain) {
      if (this.mode === 'live') {
        const e = this.buffer.shift();
        if (!e) return;
        this.write(e);
        continue;
      }
      const oldest = this.engine.store.oldestEventSeq();
      if (this.last !== 0 && oldest !== undefined && this.last + 1 < oldest) {
        this.fail(new SequenceTrimmedError(this.last, oldest));
        return;
      }
      const page = this.engine.readEvents(this.last, this.options.pageSize);
      // The log is read and the mode switched in one synchronous stretch: no commit can land
      // in between, so there is neither a gap nor a repeat at the seam.
      if (page.length === 0) this.mode = 'live';
      for (const e of page) if (!this.write(e)) break;
    }
  }

  /** False when the transport's buffer is full. */
  private write(e: AlertEvent): boolean {
    if (e.seq <= this.last) return true;
    this.last = e.seq;
    if (!this.filter(e) || this.call.write(toAlertEventMsg(e))) return true;
    this.waitingForDrain = true;
    return false;
  }

  private fail(err: Error): void {
    if (this.mode === 'ended') return;
    this.end();
    // Events already written still reach the client, then this status.
    this.call.emit('error', toServiceError(err));
  }

  private end(): void {
    if (this.mode === 'ended') return;
    this.mode = 'ended';
    this.buffer.length = 0;
    this.unsubscribe();
    this.options.onEnd();
  }
}
