/** IngestService: batches of points in, one durable acknowledgement per batch out. */
import type * as grpc from '@grpc/grpc-js';
import { ArgumentError } from '../core/index.js';
import type { Engine, IngestResult } from '../engine.js';
import type { SourceBatch } from '../ingest/index.js';
import { unary, type Logger } from './handlers.js';
import type { DataPointMsg, IngestRequestMsg, IngestResponseMsg } from './messages.js';
import { toServiceError } from './status.js';

function toPoints(points: DataPointMsg[]): unknown[] {
  return points.map((p) => ({ name: p.name, tags: p.tags, value: p.value, ts: p.tsMs }));
}

function toResponse(batchId: number, r: IngestResult): IngestResponseMsg {
  return { batchId, accepted: r.accepted, rejected: [...r.rejected], late: r.late, lastSequence: r.lastSeq, duplicate: r.duplicate === true };
}

const producerPattern = /^[A-Za-z0-9_.:-]{1,200}$/;

/** A producer's batch numbers act as source offsets, which makes re-sent batches idempotent. */
export function toSourceBatch(req: IngestRequestMsg): SourceBatch {
  const points = toPoints(req.points);
  const events = req.events.map((e) => ({ type: e.type, tags: e.tags, fields: e.fields, ts: e.tsMs }));
  if (!req.producerId) return { source: 'grpc', points, events };
  if (!producerPattern.test(req.producerId)) throw new ArgumentError('producer_id', 'use 1-200 letters, digits, _ . : -');
  return { source: `grpc:${req.producerId}`, points, events, firstOffset: req.batchId, nextOffset: req.batchId + 1 };
}

function ingestOne(engine: Engine, req: IngestRequestMsg): Promise<IngestResult> {
  try {
    return engine.ingestBatch(toSourceBatch(req));
  } catch (e) {
    return Promise.reject(e);
  }
}

export function ingestService(engine: Engine, log: Logger): grpc.UntypedServiceImplementation {
  const ingest: grpc.handleBidiStreamingCall<IngestRequestMsg, IngestResponseMsg> = (call) => {
    let pending: Promise<unknown> = Promise.resolve();
    let failed = false;
    call.on('data', (req: IngestRequestMsg) => {
      if (failed) return;
      const work = ingestOne(engine, req);
      // Acknowledge in request order; the engine commits batches in that order too.
      pending = pending.then(() =>
        work.then(
          (r) => {
            if (!failed) call.write(toResponse(req.batchId, r));
          },
          (err: unknown) => {
            if (failed) return;
            failed = true;
            call.emit('error', toServiceError(err));
          },
        ),
      );
    });
    call.on('end', () => {
      void pending.then(() => {
        if (!failed) call.end();
      });
    });
    call.on('error', () => {
      failed = true;
    });
  };
  return {
    ingest,
    ingestBatch: unary(log, 'IngestBatch', async (req: IngestRequestMsg) => toResponse(req.batchId, await ingestOne(engine, req))),
  };
}
