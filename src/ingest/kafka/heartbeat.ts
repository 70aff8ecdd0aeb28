/**
 * Keeps the group membership alive while one engine commit takes long
 * (a slow disk, a large batch): heartbeats every `intervalMs` until the
 * work settles. kafkajs only heartbeats between batches on its own, and a
 * member silent for `sessionTimeoutMs` is thrown out of the group.
 */
import type { Scheduler } from './scheduler.js';

export interface Heartbeaten<T> {
  readonly value: T;
  /** Set when a heartbeat failed meanwhile (e.g. the group is rebalancing): throw it after bookkeeping so kafkajs re-joins. */
  readonly heartbeatError?: { error: unknown };
}

/**
 * Resolves with the work's result. A failed heartbeat does not interrupt
 * work already handed to the engine: its effects will be durable either way.
 */
export async function withHeartbeats<T>(work: Promise<T>, heartbeat: () => Promise<void>, intervalMs: number, scheduler: Scheduler): Promise<Heartbeaten<T>> {
  let failure: { error: unknown } | undefined;
  let beating = false;
  const stop = scheduler.every(intervalMs, () => {
    if (beating || failure) return;
    beating = true;
    heartbeat().then(
      () => (beating = false),
      (error: unknown) => {
        beating = false;
        failure = { error };
      },
    );
  });
  try {
    const value = await work;
    return failure ? { value, heartbeatError: failure } : { value };
  } finally {
    stop();
  }
}
