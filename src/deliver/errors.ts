/**
 * Delivery failures. Each carries a stable code and `retriable`; the
 * dispatcher reads only those two (never message text) to decide between
 * retrying and archiving.
 */
import { VigilError, type ErrorCode } from '../core/index.js';

/**
 * The deliver stage's stable codes, a subset of core's `ErrorCodes` (the one
 * table of codes), named here for the stage's own use.
 */
export const DeliveryErrorCodes = {
  /** The receiver could not be reached or answered 5xx/408: try again later. */
  TEMPORARY: 'DELIVERY_TEMPORARY',
  /** The receiver answered 429 (or an equivalent): try again after its Retry-After. */
  RATE_LIMITED: 'DELIVERY_RATE_LIMITED',
  /** The receiver rejected the notification (4xx, SMTP 5xx): retrying cannot help. */
  REJECTED: 'DELIVERY_REJECTED',
  /** The notification stayed undeliverable past its maximum age. */
  EXPIRED: 'DELIVERY_EXPIRED',
  /** The outbox names a receiver the configuration no longer has. */
  RECEIVER_UNKNOWN: 'DELIVERY_RECEIVER_UNKNOWN',
  /** The receiver's share of the outbox was full when the notification was planned: it went straight to the archive. */
  OUTBOX_FULL: 'OUTBOX_FULL',
  /** `retry(id)` named no archived delivery. */
  NOT_FOUND: 'DELIVERY_NOT_FOUND',
} as const;

export type DeliveryErrorCode = (typeof DeliveryErrorCodes)[keyof typeof DeliveryErrorCodes];

export interface DeliveryErrorOptions {
  cause?: unknown;
  /** HTTP status or SMTP response code, when the receiver answered. */
  status?: number;
  /** How long the receiver asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
}

/** Thrown by a receiver when one delivery attempt failed; `retriable` says whether another attempt may succeed. */
export class DeliveryError extends VigilError {
  override readonly name: string = 'DeliveryError';
  readonly deliveryCode: DeliveryErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: DeliveryErrorCode,
    readonly receiver: string,
    message: string,
    options: DeliveryErrorOptions = {},
  ) {
    super(code satisfies ErrorCode, `receiver ${receiver}: ${message}`, {
      retriable: code === DeliveryErrorCodes.TEMPORARY || code === DeliveryErrorCodes.RATE_LIMITED,
      cause: options.cause,
    });
    this.deliveryCode = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Thrown when a receiver is unreachable or answered with a temporary failure. */
export class ReceiverUnavailableError extends DeliveryError {
  override readonly name = 'ReceiverUnavailableError';
  constructor(receiver: string, message: string, options: DeliveryErrorOptions = {}) {
    super(DeliveryErrorCodes.TEMPORARY, receiver, message, options);
  }
}

/** Thrown when a receiver answered 429: slow down and retry after `retryAfterMs` when given. */
export class ReceiverRateLimitedError extends DeliveryError {
  override readonly name = 'ReceiverRateLimitedError';
  constructor(receiver: string, message: string, options: DeliveryErrorOptions = {}) {
    super(DeliveryErrorCodes.RATE_LIMITED, receiver, message, options);
  }
}

/** Thrown when a receiver rejected a notification for good (bad payload, bad credentials, unknown channel). */
export class DeliveryRejectedError extends DeliveryError {
  override readonly name = 'DeliveryRejectedError';
  constructor(receiver: string, message: string, options: DeliveryErrorOptions = {}) {
    super(DeliveryErrorCodes.REJECTED, receiver, message, options);
  }
}

/** Thrown when `retry(id)` names a delivery that is not in the archive. */
export class DeliveryNotFoundError extends VigilError {
  override readonly name = 'DeliveryNotFoundError';
  constructor(readonly id: string) {
    super(DeliveryErrorCodes.NOT_FOUND as unknown as ErrorCode, `no archived delivery "${id}"`);
  }
}

/** Any thrown value as a DeliveryError: unknown failures count as temporary, so they are retried until max age. */
export function toDeliveryError(receiver: string, e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ReceiverUnavailableError(receiver, message, { cause: e });
}
