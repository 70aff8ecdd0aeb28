/** What a failed call said: gRPC code, Vigil's code, ErrorInfo metadata and the first field violation. */
import type * as grpc from '@grpc/grpc-js';
import { decodeStatusDetails } from '../../../src/api/index.js';

export interface Failure {
  code: number;
  reason?: string;
  info: Record<string, string>;
  field?: string;
}

export async function failure(p: Promise<unknown>): Promise<Failure> {
  const err = (await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as grpc.ServiceError;
  const d = decodeStatusDetails(err);
  return { code: err.code, ...(d.code ? { reason: d.code } : {}), info: { ...d.info }, ...(d.violations[0] ? { field: d.violations[0].field } : {}) };
}
