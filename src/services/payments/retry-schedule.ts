export interface RetrySchedule {
  /** the first retry waits up to this long */
  baseMs: number;
  /** no wait is longer than this, however many attempts failed */
  capMs: number;
  /**
   * After this many attempts that the PSP answered with "this charge failed, retry" the payment is
   * declined as `processor_unavailable`. Attempts that got no answer (timeouts, outages) never
   * count toward it: the PSP may have captured, and only a later answer for the key can tell.
   */
  maxChargeAttempts: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { baseMs: 250, capMs: 60_000, maxChargeAttempts: 12 };

/**
 * Capped exponential backoff with full jitter (a uniform wait in [0, min(cap, base·2^(n−1)))), so
 * thousands of payments that failed together in an outage do not come back together.
 */
export function retryDelayMs(attempts: number, { baseMs, capMs }: RetrySchedule, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempts - 1), 30));
  return Math.floor(random() * ceiling);
}
