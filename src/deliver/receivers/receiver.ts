/** The contract every receiver implements, and what it gets to do its job. */
import type { Clock } from '../../core/index.js';
import type { Logger } from '../../telemetry/index.js';
import type { FieldReader } from '../config-fields.js';
import type { DeliveryRequest } from '../model.js';

export interface ReceiverContext {
  readonly clock: Clock;
  readonly log: Logger;
  /** Longest one attempt may take, in ms. */
  readonly timeoutMs: number;
}

/** Sends deliveries to one configured destination. */
export interface Receiver {
  readonly name: string;
  readonly type: string;
  /**
   * Whether one message may carry several notifications of a group (webhook,
   * Slack, e-mail). Receivers that track one thing per subject (PagerDuty,
   * Jira) get one notification per delivery.
   */
  readonly batches: boolean;
  /** Sends one delivery; throws a DeliveryError when it did not arrive. Resolves only once the receiver accepted it. */
  send(request: DeliveryRequest, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** How a receiver type reads its config section and builds a receiver. */
export interface ReceiverType<O> {
  readonly type: string;
  /** Reads and validates the type-specific keys; unknown keys are reported by the caller. */
  parse(fields: FieldReader): O;
  create(name: string, options: O, context: ReceiverContext): Receiver;
}
