/**
 * Maps Vigil errors to gRPC statuses. Details travel as a standard
 * google.rpc.Status in the `grpc-status-details-bin` trailer: an ErrorInfo
 * with the stable code, and a BadRequest with one field violation per
 * diagnostic (`source:LINE:COLUMN`), so generic clients can show them.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { ErrorCodes, isVigilError, LimitError, RuleError, SequenceTrimmedError, type Diagnostic, type ErrorCode, ArgumentError } from '../core/index.js';
import { ApiError } from './errors.js';
import { protoDir } from './proto.js';

const root = protobuf.loadSync(join(protoDir, 'google/rpc/status.proto'));
const StatusType = root.lookupType('google.rpc.Status');
const ErrorInfoType = root.lookupType('google.rpc.ErrorInfo');
const BadRequestType = root.lookupType('google.rpc.BadRequest');

const DETAILS_KEY = 'grpc-status-details-bin';
const TYPE_PREFIX = 'type.googleapis.com/';

const statusOf: Record<ErrorCode, grpc.status> = {
  RULE_SYNTAX: grpc.status.INVALID_ARGUMENT,
  RULE_INVALID: grpc.status.INVALID_ARGUMENT,
  POINT_INVALID: grpc.status.INVALID_ARGUMENT,
  ARGUMENT_INVALID: grpc.status.INVALID_ARGUMENT,
  CONFIG_INVALID: grpc.status.INVALID_ARGUMENT,
  RULE_NOT_FOUND: grpc.status.NOT_FOUND,
  ACTOR_NOT_FOUND: grpc.status.NOT_FOUND,
  RULE_EXISTS: grpc.status.ALREADY_EXISTS,
  RULE_VERSION_CONFLICT: grpc.status.ABORTED,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  SUBSCRIBER_TOO_SLOW: grpc.status.RESOURCE_EXHAUSTED,
  CLUSTER_NOT_FOUND: grpc.status.NOT_FOUND,
  SILENCE_NOT_FOUND: grpc.status.NOT_FOUND,
  INCIDENT_NOT_FOUND: grpc.status.NOT_FOUND,
  OUTBOX_FULL: grpc.status.RESOURCE_EXHAUSTED,
  LIMIT_EXCEEDED: grpc.status.RESOURCE_EXHAUSTED,
  SEQUENCE_TRIMMED: grpc.status.OUT_OF_RANGE,
  STORE_FAILED: grpc.status.UNAVAILABLE,
  SHUTTING_DOWN: grpc.status.UNAVAILABLE,
  DECODE_FAILED: grpc.status.INVALID_ARGUMENT,
  MESSAGE_TOO_LARGE: grpc.status.RESOURCE_EXHAUSTED,
  EMPTY_MESSAGE: grpc.status.INVALID_ARGUMENT,
  DELIVERY_TEMPORARY: grpc.status.UNAVAILABLE,
  DELIVERY_RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
  DELIVERY_REJECTED: grpc.status.FAILED_PRECONDITION,
  DELIVERY_EXPIRED: grpc.status.DEADLINE_EXCEEDED,
  DELIVERY_RECEIVER_UNKNOWN: grpc.status.FAILED_PRECONDITION,
  DELIVERY_NOT_FOUND: grpc.status.NOT_FOUND,
  INTERNAL: grpc.status.INTERNAL,
};

export interface StatusDetails {
  readonly code?: string;
  /** ErrorInfo metadata: machine-readable context such as `last_sequence` or `required_role`. */
  readonly info: Readonly<Record<string, string>>;
  readonly violations: ReadonlyArray<{ field: string; description: string }>;
}

function pack(type: protobuf.Type, value: object): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: TYPE_PREFIX + type.fullName.slice(1), value: type.encode(type.create(value)).finish() };
}

function diagnosticViolation(d: Diagnostic): { field: string; description: string } {
  return { field: `source:${d.line}:${d.column}`, description: d.rule ? `rule ${d.rule}: ${d.message}` : d.message };
}

/** The context of an error a client may act on, sent as ErrorInfo metadata. */
function infoOf(err: unknown): Record<string, string> {
  if (err instanceof ApiError) return { ...err.info };
  if (err instanceof LimitError) return { limit: err.limit, max: String(err.max), actual: String(err.actual) };
  if (err instanceof SequenceTrimmedError) return { requested_sequence: String(err.requested), oldest_sequence: String(err.oldest) };
  return {};
}

/** Turns any thrown value into a gRPC error with status details; unknown errors become INTERNAL. */
export function toServiceError(err: unknown): grpc.ServiceError {
  const vigil = isVigilError(err);
  const code: ErrorCode = vigil ? err.code : ErrorCodes.INTERNAL;
  const message = vigil ? err.message : 'internal error';
  const violations =
    err instanceof RuleError
      ? err.diagnostics.map(diagnosticViolation)
      : err instanceof ArgumentError
        ? [{ field: err.field, description: err.message }]
        : [];
  const details = [pack(ErrorInfoType, { reason: code, domain: 'vigil.dev', metadata: infoOf(err) })];
  if (violations.length > 0) details.push(pack(BadRequestType, { fieldViolations: violations }));
  const grpcCode = statusOf[code];
  const metadata = new grpc.Metadata();
  metadata.set(DETAILS_KEY, Buffer.from(StatusType.encode(StatusType.create({ code: grpcCode, message, details })).finish()));
  return Object.assign(new Error(message), { code: grpcCode, details: message, metadata });
}

/** Reads the Vigil code and field violations back out of a gRPC error (for the CLI and tests). */
export function decodeStatusDetails(err: { metadata?: grpc.Metadata }): StatusDetails {
  const raw = err.metadata?.get(DETAILS_KEY)[0];
  if (!raw || typeof raw === 'string') return { info: {}, violations: [] };
  const status = StatusType.toObject(StatusType.decode(raw), { defaults: true }) as { details: Array<{ typeUrl: string; value: Uint8Array }> };
  let code: string | undefined;
  let info: Record<string, string> = {};
  const violations: Array<{ field: string; description: string }> = [];
  for (const d of status.details) {
    if (d.typeUrl === TYPE_PREFIX + 'google.rpc.ErrorInfo') {
      const ei = ErrorInfoType.toObject(ErrorInfoType.decode(d.value), { defaults: true }) as { reason: string; metadata: Record<string, string> };
      code = ei.reason;
      info = ei.metadata;
    }
    if (d.typeUrl === TYPE_PREFIX + 'google.rpc.BadRequest') {
      const br = BadRequestType.toObject(BadRequestType.decode(d.value), { defaults: true }) as { fieldViolations: Array<{ field: string; description: string }> };
      violations.push(...br.fieldViolations);
    }
  }
  return { ...(code ? { code } : {}), info, violations };
}
