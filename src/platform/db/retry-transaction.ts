import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { isRetryableTransactionError } from './database-errors.js';

export interface TransactionRetryOptions {
  /** retries after the first run (default 3) */
  retries?: number;
  /** first pause, before jitter (default 20 ms); pauses grow to at most 500 ms */
  initialDelayMs?: number;
}

const policies = new Map<string, RetryPolicy>();

function policyFor({ retries = 3, initialDelayMs = 20 }: TransactionRetryOptions): RetryPolicy {
  const key = `${retries}:${initialDelayMs}`;
  let policy = policies.get(key);
  if (!policy) {
    // decorrelated jitter (cockatiel's default generator): twins that deadlocked do not collide again in step
    policy = retry(handleWhen(isRetryableTransactionError), {
      maxAttempts: retries,
      backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: 500 }),
    });
    policies.set(key, policy);
  }
  return policy;
}

/**
 * Runs a unit of work (a whole transaction) again when it lost a serialization conflict (40001), a deadlock
 * (40P01) or its connection. Only for idempotent units, whose rerun after a COMMIT that did land finds its
 * own work done (a claimed reference, a status already moved) instead of doing it twice: a lost connection
 * cannot tell us whether the COMMIT landed. Timeouts and refused connects are not retried (see
 * isRetryableTransactionError): they answer 503 at once.
 */
export function withTransactionRetry<T>(work: () => Promise<T>, options: TransactionRetryOptions = {}): Promise<T> {
  return policyFor(options).execute(() => work());
}
