/** Exponential backoff with full jitter, for re-creating a consumer after it crashed for good. */

export interface BackoffOptions {
  /** @default 1000 */
  initialMs?: number;
  /** @default 60000 */
  maxMs?: number;
  /** Returns [0, 1); injected so tests are deterministic. @default Math.random */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** The wait before the next attempt: half fixed, half jitter, so many instances do not reconnect in lockstep. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** A connection succeeded: start over from the initial wait. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
