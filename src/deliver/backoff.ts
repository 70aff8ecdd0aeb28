/** Exponential backoff with jitter: how long to wait after the n-th failed attempt. */
import type { RetryPolicy } from './config.js';

/**
 * The wait after `attempts` failed attempts (1 = the first failed). Jitter
 * spreads retries of many deliveries that failed together, so a receiver
 * coming back is not hit by all of them in the same millisecond.
 */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exp = policy.initialBackoffMs * policy.backoffMultiplier ** Math.max(0, attempts - 1);
  const base = Math.min(policy.maxBackoffMs, exp);
  const spread = base * policy.jitterRatio * (2 * random() - 1);
  return Math.round(Math.min(policy.maxBackoffMs, Math.max(0, base + spread)));
}
