/**
 * Wall-clock timers, injected like the clock: the dispatcher asks to be woken
 * up, tests decide when that happens (ManualScheduler moves a ManualClock and
 * fires what is due, in time order, without sleeping).
 */
import type { ManualClock } from '../core/index.js';

export interface Scheduler {
  /** Calls `fn` once after `delayMs`; returns a function that cancels it. */
  schedule(delayMs: number, fn: () => void): () => void;
}

/** Real timers. They do not keep the process alive: the server's sockets do. */
export const systemScheduler: Scheduler = {
  schedule(delayMs, fn) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Timers on a ManualClock, fired by `advance`. */
export class ManualScheduler implements Scheduler {
  private timers: Timer[] = [];
  private nextId = 0;

  constructor(readonly clock: ManualClock) {}

  schedule(delayMs: number, fn: () => void): () => void {
    const timer: Timer = { id: this.nextId++, at: this.clock.now() + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way, earliest first. */
  advance(ms: number): void {
    const target = this.clock.now() + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      if (due.at > this.clock.now()) this.clock.set(due.at);
      due.fn();
    }
    this.clock.set(target);
  }

  /**
   * Like `advance`, but after each timer fires waits for `settle` (e.g. the
   * dispatcher going idle), so timers armed by the async work it started
   * fire too if they fall within the window.
   */
  async advanceSettled(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.clock.now() + ms;
    await settle();
    for (;;) {
      const next = this.armed()[0];
      if (next === undefined || next > target) break;
      this.advance(Math.max(0, next - this.clock.now()));
      await settle();
    }
    this.advance(target - this.clock.now());
    await settle();
  }

  /** Wall-clock times of the timers still armed. */
  armed(): number[] {
    return this.timers.map((t) => t.at).sort((a, b) => a - b);
  }
}
