import type { Metrics } from '../telemetry/metrics.js';

/**
 * The shape every retrying client takes (the PSP client, Redis adapters, the RabbitMQ publish, outbound-policy.ts):
 * count each call, ask before each retry.
 */
export interface RetryBudget {
  /** one call made (a first attempt, not a retry) */
  recordAttempt(): void;
  /** whether one retry may be made now; a yes is counted against the budget */
  canRetry(): boolean;
}

export interface RetryBudgetOptions {
  /** the dependency, as the metrics label it (`psp`, `redis`, `rabbitmq`) */
  dependency: string;
  /** retries allowed as a share of calls in the window. Default 0.1 */
  ratio?: number;
  /** the sliding window. Default 10 s */
  windowMs?: number;
  /** retries always allowed per window, so a quiet process can still retry a lone failure. Default 3 */
  minRetries?: number;
  now?: () => number;
  /** counts `floodgate_retries_total{dependency, result}`: `attempted`, `refused` */
  metrics?: Metrics;
}

const BUCKETS = 10;

/**
 * A retry budget (Finagle's, gRPC's retry throttling): retries may be at most `ratio` of the calls made to one
 * dependency over a sliding window, plus a small floor. When a dependency fails for everyone, retries would
 * multiply its load just as it is weakest; with a budget they add at most 10% and the rest fail at once.
 *
 * The window is kept as 10 buckets of calls and retries, so its memory is fixed whatever the rate.
 */
export function createRetryBudget({ dependency, ratio = 0.1, windowMs = 10_000, minRetries = 3, now = Date.now, metrics }: RetryBudgetOptions): RetryBudget {
  if (!(ratio >= 0) || !(windowMs > 0) || !(minRetries >= 0)) throw new Error(`retry budget ${dependency}: ratio, window and floor must be non-negative numbers`);
  const bucketMs = windowMs / BUCKETS;
  const calls = new Array<number>(BUCKETS).fill(0);
  const retries = new Array<number>(BUCKETS).fill(0);
  let bucketStart = Math.floor(now() / bucketMs);
  const counter = metrics?.counter('floodgate_retries_total', 'Retries per dependency: attempted (allowed by its retry budget) or refused by it', ['dependency', 'result']);

  /** moves the window to now, emptying the buckets that fell out of it */
  const advance = () => {
    const current = Math.floor(now() / bucketMs);
    const steps = Math.min(BUCKETS, current - bucketStart);
    for (let i = 1; i <= steps; i += 1) {
      const slot = (bucketStart + i) % BUCKETS;
      calls[slot] = 0;
      retries[slot] = 0;
    }
    if (current > bucketStart) bucketStart = current;
    return bucketStart % BUCKETS;
  };
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  return {
    recordAttempt() {
      calls[advance()]! += 1;
    },
    canRetry() {
      const slot = advance();
      if (sum(retries) >= minRetries + Math.floor(sum(calls) * ratio)) {
        counter?.inc({ dependency, result: 'refused' });
        return false;
      }
      retries[slot]! += 1;
      counter?.inc({ dependency, result: 'attempted' });
      return true;
    },
  };
}

/** Reads a budget's settings from the environment's shape (RETRY_BUDGET_RATIO, RETRY_BUDGET_WINDOW_MS, RETRY_BUDGET_MIN). */
export interface RetryBudgetSettings {
  ratio: number;
  windowMs: number;
  minRetries: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetSettings = { ratio: 0.1, windowMs: 10_000, minRetries: 3 };
