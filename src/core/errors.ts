/**
 * One error base for all of Vigil. Callers (retry loops, the gRPC status mapper,
 * tests) read `code` and `retriable`, never the message text.
 */

/** Every stable error code Vigil emits. Codes are API: never rename one. */
export const ErrorCodes = {
  RULE_SYNTAX: 'RULE_SYNTAX',
  RULE_INVALID: 'RULE_INVALID',
  RULE_NOT_FOUND: 'RULE_NOT_FOUND',
  RULE_EXISTS: 'RULE_EXISTS',
  RULE_VERSION_CONFLICT: 'RULE_VERSION_CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
  CLUSTER_NOT_FOUND: 'CLUSTER_NOT_FOUND',
  SILENCE_NOT_FOUND: 'SILENCE_NOT_FOUND',
  INCIDENT_NOT_FOUND: 'INCIDENT_NOT_FOUND',
  OUTBOX_FULL: 'OUTBOX_FULL',
  ACTOR_NOT_FOUND: 'ACTOR_NOT_FOUND',
  POINT_INVALID: 'POINT_INVALID',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  SEQUENCE_TRIMMED: 'SEQUENCE_TRIMMED',
  ARGUMENT_INVALID: 'ARGUMENT_INVALID',
  STORE_FAILED: 'STORE_FAILED',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  CONFIG_INVALID: 'CONFIG_INVALID',
  DECODE_FAILED: 'DECODE_FAILED',
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  EMPTY_MESSAGE: 'EMPTY_MESSAGE',
  DELIVERY_TEMPORARY: 'DELIVERY_TEMPORARY',
  DELIVERY_RATE_LIMITED: 'DELIVERY_RATE_LIMITED',
  DELIVERY_REJECTED: 'DELIVERY_REJECTED',
  DELIVERY_EXPIRED: 'DELIVERY_EXPIRED',
  DELIVERY_RECEIVER_UNKNOWN: 'DELIVERY_RECEIVER_UNKNOWN',
  DELIVERY_NOT_FOUND: 'DELIVERY_NOT_FOUND',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** A position in rule text, 1-based like every editor shows it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A problem found in user input, located precisely enough to fix it. */
export interface Diagnostic extends SourcePosition {
  readonly code: ErrorCode;
  readonly message: string;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** The rule the diagnostic belongs to, when known. */
  readonly rule?: string;
}

export interface VigilErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

export class VigilError extends Error {
  override readonly name: string = 'VigilError';
  readonly retriable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: VigilErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** Thrown when rule text does not parse or check; carries every diagnostic found. */
export class RuleError extends VigilError {
  override readonly name = 'RuleError';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    const where = first ? `line ${first.line}, column ${first.column}: ` : '';
    super(first?.code ?? ErrorCodes.RULE_INVALID, `${where}${first?.message ?? 'invalid rule'}`);
  }
}

/** Thrown when a request names a rule that does not exist. */
export class RuleNotFoundError extends VigilError {
  override readonly name = 'RuleNotFoundError';
  constructor(readonly ruleName: string) {
    super(ErrorCodes.RULE_NOT_FOUND, `rule "${ruleName}" does not exist`);
  }
}

/** Thrown when a request names an actor id that has no state. */
export class ActorNotFoundError extends VigilError {
  override readonly name = 'ActorNotFoundError';
  constructor(readonly actorId: string) {
    super(ErrorCodes.ACTOR_NOT_FOUND, `actor "${actorId}" does not exist (ids look like rule/<name> or alert/<rule>/<group>)`);
  }
}

/** Thrown when a configured limit (batch size, rule count, ...) would be exceeded. */
export class LimitError extends VigilError {
  override readonly name = 'LimitError';
  constructor(
    readonly limit: string,
    readonly max: number,
    readonly actual: number,
  ) {
    super(ErrorCodes.LIMIT_EXCEEDED, `${limit} is ${actual}, above the limit of ${max}`);
  }
}

/** Thrown when a stream asks to resume from a sequence number the log no longer holds. */
export class SequenceTrimmedError extends VigilError {
  override readonly name = 'SequenceTrimmedError';
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(ErrorCodes.SEQUENCE_TRIMMED, `sequence ${requested} was trimmed; the oldest retained event is ${oldest}`);
  }
}

/** Thrown when a request argument is malformed (not rule text: see RuleError). */
export class ArgumentError extends VigilError {
  override readonly name = 'ArgumentError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(ErrorCodes.ARGUMENT_INVALID, `${field}: ${message}`);
  }
}

/** Thrown when LMDB refuses a write; the batch was not applied and may be retried. */
export class StoreError extends VigilError {
  override readonly name = 'StoreError';
  constructor(message: string, cause?: unknown) {
    super(ErrorCodes.STORE_FAILED, message, { retriable: true, cause });
  }
}

/** Thrown when work arrives after shutdown began. */
export class ShuttingDownError extends VigilError {
  override readonly name = 'ShuttingDownError';
  constructor() {
    super(ErrorCodes.SHUTTING_DOWN, 'Vigil is shutting down', { retriable: true });
  }
}

/** Thrown when the configuration file or environment is invalid. */
export class ConfigError extends VigilError {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super(ErrorCodes.CONFIG_INVALID, message);
  }
}

export function isVigilError(e: unknown): e is VigilError {
  return e instanceof VigilError;
}
