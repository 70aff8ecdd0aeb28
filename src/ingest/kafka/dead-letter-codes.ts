/**
 * Stable codes of Kafka dead-letter entries. Codes are API (operators filter
 * `vigil deadletter ls` by them): never rename one. All live in core's one
 * table of codes (core/errors.ts); this names the ones a Kafka source writes.
 */
import { ErrorCodes } from '../../core/index.js';

export const DeadLetterCodes = {
  /** The bytes are not the format the header or config names (bad JSON, bad protobuf, unknown content-type). */
  DECODE_FAILED: ErrorCodes.DECODE_FAILED,
  /** The message is larger than maxMessageBytes. */
  MESSAGE_TOO_LARGE: ErrorCodes.MESSAGE_TOO_LARGE,
  /** The message carries more points than maxPointsPerMessage. */
  LIMIT_EXCEEDED: ErrorCodes.LIMIT_EXCEEDED,
  /** A decoded point or event fails validation (written by the engine with deadLetterRejected). */
  POINT_INVALID: ErrorCodes.POINT_INVALID,
  /** A tombstone or empty message: nothing to read. */
  EMPTY_MESSAGE: ErrorCodes.EMPTY_MESSAGE,
} as const;

export type DeadLetterCode = (typeof DeadLetterCodes)[keyof typeof DeadLetterCodes];
