/**
 * Turns one Kafka message into raw points or events, or into the reason it
 * is poison. Pure: no Kafka, no engine. Items are validated by the engine,
 * so gRPC and Kafka share one validator and invalid items are dead-lettered
 * one by one with the offset they came from.
 */
import type { ProtobufMessage, WireFormat } from './config.js';
import { DeadLetterCodes, type DeadLetterCode } from './dead-letter-codes.js';
import { decodeProtoPoints } from './proto-codec.js';

export type MessageKind = 'points' | 'events';

export type Decoded = { ok: true; items: unknown[] } | { ok: false; code: DeadLetterCode; reason: string };

export interface DecodeOptions {
  format: WireFormat;
  protobufMessage: ProtobufMessage;
  maxMessageBytes: number;
  maxPointsPerMessage: number;
}

function fail(code: DeadLetterCode, reason: string): Decoded {
  return { ok: false, code, reason };
}

/** `{ points: [...] }` (the IngestRequest JSON shape), `[...]` or one object. */
function unwrap(parsed: unknown, field: 'points' | 'events'): unknown[] | undefined {
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null) {
    const inner = (parsed as Record<string, unknown>)[field];
    if (inner !== undefined) return Array.isArray(inner) ? inner : undefined;
    return [parsed];
  }
  return undefined;
}

/** Accepts the proto3 JSON spelling `tsMs` / `ts_ms` (int64 may be a string there) for `ts`. */
function normalisePoint(p: unknown): unknown {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return p;
  const o = p as Record<string, unknown>;
  if (o.ts !== undefined) return p;
  const alt = o.tsMs ?? o.ts_ms;
  if (alt === undefined) return p;
  const { tsMs: _a, ts_ms: _b, ...rest } = o;
  const ts = typeof alt === 'string' && /^-?\d+$/.test(alt) ? Number(alt) : alt;
  return { ...rest, ts };
}

export function decodeMessage(value: Buffer | null, kind: MessageKind, options: DecodeOptions): Decoded {
  if (value === null || value.length === 0) return fail(DeadLetterCodes.EMPTY_MESSAGE, 'the message has no value (a tombstone or empty payload)');
  if (value.length > options.maxMessageBytes) {
    return fail(DeadLetterCodes.MESSAGE_TOO_LARGE, `the message is ${value.length} bytes, above the limit of ${options.maxMessageBytes}`);
  }
  let items: unknown[];
  if (options.format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch (e) {
      return fail(DeadLetterCodes.DECODE_FAILED, `not valid JSON: ${(e as Error).message}`);
    }
    const unwrapped = unwrap(parsed, kind);
    if (!unwrapped) return fail(DeadLetterCodes.DECODE_FAILED, `expected a ${kind === 'points' ? 'point' : 'event'} object, an array of them or {"${kind}": [...]}`);
    items = kind === 'points' ? unwrapped.map(normalisePoint) : unwrapped;
  } else {
    if (kind === 'events') return fail(DeadLetterCodes.DECODE_FAILED, 'events have no protobuf message yet; send them as application/json');
    try {
      items = decodeProtoPoints(value, options.protobufMessage);
    } catch (e) {
      const name = options.protobufMessage === 'batch' ? 'vigil.v1.IngestRequest' : 'vigil.v1.DataPoint';
      return fail(DeadLetterCodes.DECODE_FAILED, `not a valid ${name}: ${(e as Error).message}`);
    }
  }
  if (items.length > options.maxPointsPerMessage) {
    return fail(DeadLetterCodes.LIMIT_EXCEEDED, `the message holds ${items.length} ${kind}, above the limit of ${options.maxPointsPerMessage}`);
  }
  return { ok: true, items };
}
