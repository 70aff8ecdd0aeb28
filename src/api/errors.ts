/** Errors the API layer raises itself: authentication, authorization and stream back-pressure. */
import { ErrorCodes, VigilError, type ErrorCode } from '../core/index.js';

/**
 * A VigilError whose context travels to the client as google.rpc.ErrorInfo
 * metadata, so a program can act on it (e.g. ask for a token with
 * `required_role`) without reading the message.
 */
export class ApiError extends VigilError {
  override readonly name: string = 'ApiError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly info: Readonly<Record<string, string>> = {},
  ) {
    super(code, message);
  }
}

/** Thrown when a call carries no token, or one the server does not know. */
export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  constructor(reason: 'missing' | 'malformed' | 'unknown', method: string) {
    const why = {
      missing: 'this server requires a token: send metadata "authorization: Bearer <token>"',
      malformed: 'the authorization metadata must read "Bearer <token>"',
      unknown: 'the token is not one this server knows',
    }[reason];
    super(ErrorCodes.UNAUTHENTICATED, why, { reason, method });
  }
}

/** Thrown when a known token's role does not allow the method it called. */
export class PermissionDeniedError extends ApiError {
  override readonly name = 'PermissionDeniedError';
  constructor(
    readonly principal: string,
    readonly role: string,
    readonly requiredRole: string,
    readonly method: string,
  ) {
    super(ErrorCodes.PERMISSION_DENIED, `token "${principal}" has role ${role}; ${method} needs role ${requiredRole}`, {
      principal,
      role,
      required_role: requiredRole,
      method,
    });
  }
}

/** Thrown (as a stream's final status) when an alert subscriber falls further behind than its buffer allows. */
export class SubscriberTooSlowError extends ApiError {
  override readonly name = 'SubscriberTooSlowError';
  constructor(
    readonly lastSequence: number,
    readonly bufferedEvents: number,
  ) {
    super(
      ErrorCodes.SUBSCRIBER_TOO_SLOW,
      `the subscriber read too slowly: more than ${bufferedEvents} events waited for it (sent up to sequence ${lastSequence}); resume with after_sequence set to the last sequence received`,
      { last_sequence: String(lastSequence), max_buffered_events: String(bufferedEvents) },
    );
  }
}
