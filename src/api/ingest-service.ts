/** IngestService: batches of points in, one durable acknowledgement per batch out. */
import type * as grpc from '@grpc/grpc-js';
import type { Engine, IngestResult } from '../engine.js';
import { unary, type Logger } from './handlers.js';
import type { DataPointMsg, IngestRequestMsg, IngestResponseMsg } from './messages.js';
import { toServiceError } from './status.js';

function toPoints(points: DataPointMsg[]): unknown[] {
  return points.map((p) => ({ name: p.name, tags: p.tags, value: p.value, ts: p.tsMs }));
}

function toResponse(batchId: number, r: IngestResult): IngestResponseMsg {
  return { batchId, accepted: r.accepted, rejected: [...r.rejected], late: r.late, lastSequence: r.lastSeq };
}

export function ingestService(engine: Engine, log: Logger): grpc.UntypedServiceImplementation {
  const ingest: grpc.handleBidiStreamingCall<IngestRequestMsg, IngestResponseMsg> = (call) => {
    let pending: Promise<unknown> = Promise.resolve();
    let failed = false;
    call.on('data', (req: IngestRequestMsg) => {
      if (failed) return;
      const work = engine.ingest('grpc', toPoints(req.points));
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
    ingestBatch: unary(log, 'IngestBatch', async (req: IngestRequestMsg) => toResponse(req.batchId, await engine.ingest('grpc', toPoints(req.points)))),
  };
}
