/**
 * The protobuf wire format of Kafka messages: `vigil.v1.IngestRequest` (a
 * batch) and `vigil.v1.DataPoint` (one point) from proto/vigil/v1/ingest.proto,
 * so producers use the same contract as the gRPC ingest.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export interface ProtoCodec {
  readonly ingestRequest: protobuf.Type;
  readonly dataPoint: protobuf.Type;
}

/** The repository (or installed package) root: the first folder above this file holding proto/vigil. */
function protoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'proto', 'vigil'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the proto/ folder of Vigil');
    dir = up;
  }
  return join(dir, 'proto');
}

let codec: ProtoCodec | undefined;

/** Loads ingest.proto once, on first use: JSON-only deployments never pay for it. */
export function protoCodec(): ProtoCodec {
  if (!codec) {
    const root = protobuf.loadSync(join(protoRoot(), 'vigil', 'v1', 'ingest.proto'));
    codec = { ingestRequest: root.lookupType('vigil.v1.IngestRequest'), dataPoint: root.lookupType('vigil.v1.DataPoint') };
  }
  return codec;
}

/** Proto3 does not send zero values, so defaults must be filled in: a point of value 0 is a real point. */
const toObjectOptions: protobuf.IConversionOptions = { longs: Number, defaults: true };

interface ProtoPoint {
  name: string;
  tags: Record<string, string>;
  value: number;
  tsMs: number;
}

function toPoint(p: ProtoPoint): unknown {
  return { name: p.name, tags: p.tags, value: p.value, ts: p.tsMs };
}

/** Decodes a protobuf payload into raw points (validated later by the engine); throws when the bytes are not that message. */
export function decodeProtoPoints(bytes: Uint8Array, message: 'batch' | 'point'): unknown[] {
  const c = protoCodec();
  if (message === 'point') return [toPoint(c.dataPoint.toObject(c.dataPoint.decode(bytes), toObjectOptions) as ProtoPoint)];
  const req = c.ingestRequest.toObject(c.ingestRequest.decode(bytes), toObjectOptions) as { points: ProtoPoint[] };
  return req.points.map(toPoint);
}

/** Encodes points the way producers should (tests, bench, tools). */
export function encodeProtoPoints(points: ReadonlyArray<{ name: string; tags?: Record<string, string>; value: number; ts: number }>, message: 'batch' | 'point' = 'batch'): Uint8Array {
  const c = protoCodec();
  const wire = points.map((p) => ({ name: p.name, tags: p.tags ?? {}, value: p.value, tsMs: p.ts }));
  if (message === 'point') {
    if (wire.length !== 1) throw new Error('a DataPoint message holds exactly one point');
    return c.dataPoint.encode(c.dataPoint.fromObject(wire[0]!)).finish();
  }
  return c.ingestRequest.encode(c.ingestRequest.fromObject({ points: wire })).finish();
}
