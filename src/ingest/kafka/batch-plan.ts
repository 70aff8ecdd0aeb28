/**
 * Cuts one fetched Kafka batch of a partition into engine batches: decodes
 * every message, keeps poison ones as dead letters, drops messages below the
 * stored offset (already applied: a redelivery), and splits at message
 * boundaries so no engine batch holds more than `maxPointsPerBatch` points.
 * Each engine batch carries the offset to resume from, so its effects and
 * its position commit together.
 */
import type { DeadLetter, SourceBatch } from '../source.js';
import type { ProtobufMessage, WireFormat } from './config.js';
import { decodeMessage, type MessageKind } from './decode-message.js';
import { payloadPreview } from './payload-preview.js';
import { chooseWireFormat, type MessageHeaders } from './wire-format.js';
import { DeadLetterCodes } from './dead-letter-codes.js';

/** The part of a kafkajs message the source reads. */
export interface KafkaRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: MessageHeaders;
}

/** A source batch with the Kafka position it covers. */
export interface KafkaSourceBatch extends SourceBatch {
  readonly firstOffset: number;
  readonly nextOffset: number;
  /** The offset of the last message covered, as kafkajs spells it, for `resolveOffset`. */
  readonly lastOffset: string;
}

export interface PlanOptions {
  format: WireFormat;
  protobufMessage: ProtobufMessage;
  keyTag: string;
  maxMessageBytes: number;
  maxPointsPerMessage: number;
  maxPointsPerBatch: number;
  deadLetterPayloadBytes: number;
}

export interface PlanInput {
  readonly source: string;
  readonly kind: MessageKind;
  readonly records: readonly KafkaRecord[];
  /** The engine's committed next offset for this partition; records below it are skipped. */
  readonly storedOffset: number | undefined;
  /** Wall-clock ms, stamped on dead letters. */
  readonly now: number;
  readonly options: PlanOptions;
}

export interface Plan {
  readonly batches: KafkaSourceBatch[];
  /** Records below the stored offset, dropped as already applied. */
  readonly skipped: number;
}

/** Fills the routing tag from the message key when a point lacks it: producers key by cluster. */
function withKeyTag(point: unknown, keyTag: string, key: string | undefined): unknown {
  if (key === undefined || key === '' || typeof point !== 'object' || point === null || Array.isArray(point)) return point;
  const p = point as Record<string, unknown>;
  const tags = p.tags;
  if (tags === undefined) return { ...p, tags: { [keyTag]: key } };
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags) || keyTag in tags) return point;
  return { ...p, tags: { ...tags, [keyTag]: key } };
}

class Builder {
  points: unknown[] = [];
  pointOffsets: number[] = [];
  events: unknown[] = [];
  eventOffsets: number[] = [];
  deadLetters: DeadLetter[] = [];
  first: KafkaRecord | undefined;
  last: KafkaRecord | undefined;

  get empty(): boolean {
    return this.first === undefined;
  }

  take(record: KafkaRecord): void {
    this.first ??= record;
    this.last = record;
  }

  build(source: string, kind: MessageKind): KafkaSourceBatch {
    const last = this.last!;
    return {
      source,
      points: this.points,
      pointOffsets: this.pointOffsets,
      firstOffset: Number(this.first!.offset),
      nextOffset: Number(last.offset) + 1,
      lastOffset: last.offset,
      deadLetterRejected: true,
      ...(this.deadLetters.length > 0 ? { deadLetters: this.deadLetters } : {}),
      ...(kind === 'events' ? { events: this.events, eventOffsets: this.eventOffsets } : {}),
    };
  }
}

export function planBatches(input: PlanInput): Plan {
  const { source, kind, options } = input;
  // One message is never split across engine batches, so a message may hold at most what one batch may.
  const maxPerMessage = Math.min(options.maxPointsPerMessage, options.maxPointsPerBatch);
  const decodeOptions = { maxMessageBytes: options.maxMessageBytes, maxPointsPerMessage: maxPerMessage };
  const batches: KafkaSourceBatch[] = [];
  let skipped = 0;
  let current = new Builder();
  for (const record of input.records) {
    const offset = Number(record.offset);
    if (input.storedOffset !== undefined && offset < input.storedOffset) {
      skipped++;
      continue;
    }
    const wire = chooseWireFormat(record.headers, options);
    const decoded = wire.ok
      ? decodeMessage(record.value, kind, { ...decodeOptions, format: wire.format, protobufMessage: wire.message })
      : ({ ok: false, code: DeadLetterCodes.DECODE_FAILED, reason: wire.reason } as const);
    const size = decoded.ok ? decoded.items.length : 0;
    if (!current.empty && current.points.length + current.events.length + size > options.maxPointsPerBatch) {
      batches.push(current.build(source, kind));
      current = new Builder();
    }
    current.take(record);
    if (!decoded.ok) {
      current.deadLetters.push({ source, offset, code: decoded.code, reason: decoded.reason, payload: payloadPreview(record.value, options.deadLetterPayloadBytes), at: input.now });
      continue;
    }
    if (kind === 'events') {
      for (const item of decoded.items) {
        current.events.push(item);
        current.eventOffsets.push(offset);
      }
      continue;
    }
    const key = record.key === null ? undefined : record.key.toString('utf8');
    for (const item of decoded.items) {
      current.points.push(withKeyTag(item, options.keyTag, key));
      current.pointOffsets.push(offset);
    }
  }
  if (!current.empty) batches.push(current.build(source, kind));
  return { batches, skipped };
}
