/**
 * Exponential backoff with jitter, for every retry and reconnect loop: the n-th wait (n ≥ 1) is drawn between half
 * and all of initialMs·2^(n-1), at most maxMs. The draw matters: failures that happened together (a restart, an
 * outage that ended) do not all come back together.
 */
export function jitteredBackoffMs(attempt: number, { initialMs, maxMs }: { initialMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}
