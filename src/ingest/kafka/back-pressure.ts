/**
 * Decides when to pause and resume fetching. The engine applies batches one
 * at a time; when batches pile up waiting for their commit (evaluation or
 * LMDB falling behind), fetching more would only buffer without bound, so
 * the source pauses every partition until the backlog drains below half of
 * the limits (hysteresis, so it does not flap at the edge).
 */

export interface BackPressureOptions {
  /** Pause when this many points wait for their commit. */
  maxInFlightPoints: number;
  /** Pause when this many batches wait for their commit. */
  maxInFlightBatches: number;
  /** Resume when both backlogs are at or below this share of their limit. @default 0.5 */
  resumeRatio?: number;
}

export type FlowDecision = 'pause' | 'resume' | undefined;

export class BackPressure {
  private points = 0;
  private batches = 0;
  private isPaused = false;
  private readonly resumeRatio: number;

  constructor(private readonly options: BackPressureOptions) {
    this.resumeRatio = options.resumeRatio ?? 0.5;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get inFlight(): { points: number; batches: number } {
    return { points: this.points, batches: this.batches };
  }

  /** A batch goes to the engine. */
  admit(points: number): FlowDecision {
    this.points += points;
    this.batches++;
    if (!this.isPaused && (this.points >= this.options.maxInFlightPoints || this.batches >= this.options.maxInFlightBatches)) {
      this.isPaused = true;
      return 'pause';
    }
    return undefined;
  }

  /** A batch was committed (or failed): it no longer weighs on the engine. */
  release(points: number): FlowDecision {
    this.points = Math.max(0, this.points - points);
    this.batches = Math.max(0, this.batches - 1);
    if (this.isPaused && this.points <= this.options.maxInFlightPoints * this.resumeRatio && this.batches <= Math.floor(this.options.maxInFlightBatches * this.resumeRatio)) {
      this.isPaused = false;
      return 'resume';
    }
    return undefined;
  }
}
