import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeOptions } from '../../../src/ingest/kafka/decode-message.js';
import { encodeProtoPoints } from '../../../src/ingest/kafka/index.js';
import { payloadPreview } from '../../../src/ingest/kafka/payload-preview.js';
import { chooseWireFormat } from '../../../src/ingest/kafka/wire-format.js';
import { T0, cpu } from './support.js';

const json: DecodeOptions = { format: 'json', protobufMessage: 'batch', maxMessageBytes: 10_000, maxPointsPerMessage: 100 };
const proto = (message: 'batch' | 'point'): DecodeOptions => ({ ...json, format: 'protobuf', protobufMessage: message });
const buf = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('wire format choice', () => {
  const defaults = { format: 'json', protobufMessage: 'batch' } as const;

  it('uses the config when the message has no content-type header', () => {
    expect(chooseWireFormat(undefined, defaults)).toEqual({ ok: true, format: 'json', message: 'batch' });
    expect(chooseWireFormat({ other: 'x' }, { format: 'protobuf', protobufMessage: 'point' })).toEqual({ ok: true, format: 'protobuf', message: 'point' });
  });

  it('follows the content-type header, in any case, as a string or Buffer', () => {
    expect(chooseWireFormat({ 'Content-Type': Buffer.from('application/x-protobuf; messageType=vigil.v1.DataPoint') }, defaults)).toEqual({ ok: true, format: 'protobuf', message: 'point' });
    expect(chooseWireFormat({ 'content-type': 'application/protobuf' }, defaults)).toEqual({ ok: true, format: 'protobuf', message: 'batch' });
    expect(chooseWireFormat({ 'content-type': ['application/json; charset=utf-8'] }, { format: 'protobuf', protobufMessage: 'batch' })).toMatchObject({ ok: true, format: 'json' });
  });

  it('refuses an unknown content-type or protobuf message name', () => {
    expect(chooseWireFormat({ 'content-type': 'text/csv' }, defaults)).toMatchObject({ ok: false });
    expect(chooseWireFormat({ 'content-type': 'application/x-protobuf; messageType=foo.Bar' }, defaults)).toMatchObject({ ok: false });
  });
});

describe('message decoding', () => {
  it('reads one JSON point, an array, or the IngestRequest shape', () => {
    expect(decodeMessage(buf(cpu('n1', 1, 0)), 'points', json)).toEqual({ ok: true, items: [cpu('n1', 1, 0)] });
    expect(decodeMessage(buf([cpu('n1', 1, 0), cpu('n2', 2, 0)]), 'points', json)).toMatchObject({ ok: true, items: { length: 2 } });
    expect(decodeMessage(buf({ points: [cpu('n1', 1, 0)] }), 'points', json)).toMatchObject({ ok: true, items: { length: 1 } });
  });

  it('accepts the proto3 JSON spelling of the timestamp', () => {
    const decoded = decodeMessage(buf({ name: 'cpu', value: 1, tsMs: String(T0) }), 'points', json);
    expect(decoded).toEqual({ ok: true, items: [{ name: 'cpu', value: 1, ts: T0 }] });
  });

  it('reads protobuf IngestRequest and DataPoint, keeping a value of zero', () => {
    const points = [cpu('n1', 0, 0), cpu('n2', 97.5, 1)];
    expect(decodeMessage(Buffer.from(encodeProtoPoints(points)), 'points', proto('batch'))).toEqual({ ok: true, items: points });
    expect(decodeMessage(Buffer.from(encodeProtoPoints([points[1]!], 'point')), 'points', proto('point'))).toEqual({ ok: true, items: [points[1]] });
  });

  it('classifies poison: empty, oversized, undecodable, too many points', () => {
    expect(decodeMessage(null, 'points', json)).toMatchObject({ ok: false, code: 'EMPTY_MESSAGE' });
    expect(decodeMessage(Buffer.alloc(10_001, 32), 'points', json)).toMatchObject({ ok: false, code: 'MESSAGE_TOO_LARGE' });
    expect(decodeMessage(Buffer.from('{"name": "cpu",'), 'points', json)).toMatchObject({ ok: false, code: 'DECODE_FAILED' });
    expect(decodeMessage(Buffer.from('42'), 'points', json)).toMatchObject({ ok: false, code: 'DECODE_FAILED' });
    expect(decodeMessage(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), 'points', proto('batch'))).toMatchObject({ ok: false, code: 'DECODE_FAILED' });
    const many = Array.from({ length: 101 }, (_, i) => cpu('n', i, 0));
    expect(decodeMessage(buf(many), 'points', json)).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
  });

  it('reads events as JSON, leaving validation to the engine, and refuses protobuf for them', () => {
    const event = { type: 'cluster.upgrade.start', tags: { cluster: 'c1' }, fields: { version: '1.2' }, ts: T0 };
    expect(decodeMessage(buf({ events: [event] }), 'events', json)).toEqual({ ok: true, items: [event] });
    expect(decodeMessage(buf([event, { type: 'x', ts: 12 }]), 'events', json)).toMatchObject({ ok: true, items: { length: 2 } });
    expect(decodeMessage(buf(event), 'events', proto('batch'))).toMatchObject({ ok: false, code: 'DECODE_FAILED' });
  });
});

describe('payload preview', () => {
  it('keeps text as text and binary as base64, cut to the limit', () => {
    expect(payloadPreview(Buffer.from('{"bad": json'), 256)).toBe('{"bad": json');
    expect(payloadPreview(Buffer.from('abcdef'), 3)).toBe('abc…');
    expect(payloadPreview(Buffer.from([0x0a, 0x03, 0x00, 0xff]), 256)).toBe(`base64:${Buffer.from([0x0a, 0x03, 0x00, 0xff]).toString('base64')}`);
    expect(payloadPreview(Buffer.from('ééé'), 3)).toBe('é…');
    expect(payloadPreview(null, 10)).toBe('');
  });
});
