/**
 * Picks how to read a message: its `content-type` header when present,
 * otherwise the configured format. Producers in one topic may mix formats.
 */
import type { ProtobufMessage, WireFormat } from './config.js';

export type MessageHeaders = Readonly<Record<string, Buffer | string | ReadonlyArray<Buffer | string> | undefined>>;

export type WireChoice = { ok: true; format: WireFormat; message: ProtobufMessage } | { ok: false; reason: string };

const jsonTypes = new Set(['application/json', 'text/json', 'application/x-ndjson']);
const protobufTypes = new Set(['application/x-protobuf', 'application/protobuf', 'application/vnd.google.protobuf', 'application/octet-stream']);
const messageNames: Record<string, ProtobufMessage> = {
  'vigil.v1.ingestrequest': 'batch',
  'vigil.v1.datapoint': 'point',
};

/** The first value of a header, as text. Kafka header names are case-sensitive; we accept any case. */
export function headerText(headers: MessageHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first === undefined) return undefined;
    return typeof first === 'string' ? first : (first as Buffer).toString('utf8');
  }
  return undefined;
}

/**
 * Reads e.g. `application/json`, `application/x-protobuf`,
 * `application/x-protobuf; messageType=vigil.v1.DataPoint` (also `proto=`).
 */
export function chooseWireFormat(headers: MessageHeaders | undefined, defaults: { format: WireFormat; protobufMessage: ProtobufMessage }): WireChoice {
  const header = headerText(headers, 'content-type');
  if (header === undefined || header.trim() === '') return { ok: true, format: defaults.format, message: defaults.protobufMessage };
  const [mediaRaw, ...params] = header.split(';');
  const media = mediaRaw!.trim().toLowerCase();
  if (jsonTypes.has(media) || media.endsWith('+json')) return { ok: true, format: 'json', message: defaults.protobufMessage };
  if (protobufTypes.has(media) || media.endsWith('+protobuf')) {
    let message = defaults.protobufMessage;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === undefined || v === undefined) continue;
      if (k.toLowerCase() !== 'messagetype' && k.toLowerCase() !== 'proto') continue;
      const named = messageNames[v.replace(/^"|"$/g, '').toLowerCase()];
      if (!named) return { ok: false, reason: `content-type names protobuf message "${v}"; expected vigil.v1.IngestRequest or vigil.v1.DataPoint` };
      message = named;
    }
    return { ok: true, format: 'protobuf', message };
  }
  return { ok: false, reason: `unsupported content-type "${header}"; use application/json or application/x-protobuf` };
}
