import type { Metrics } from '../telemetry/metrics.js';
import type { MemoryLimitUsage } from './memory-rate-limiter-store.js';

/**
 * What the in-memory limits hold, per named limit (a fixed set: the catalogue and the login lockout's): the
 * keys remembered and the bytes they are charged against RATE_LIMIT_MEMORY_MB_PER_LIMIT. With Redis these are
 * the fallback limiters, empty unless Redis was away.
 */
export function registerMemoryLimitGauges(metrics: Metrics, store: { usage(): MemoryLimitUsage[] }): void {
  metrics.gauge('floodgate_ratelimit_memory_keys', 'Keys a rate limit remembers in this process', ['limiter'], function collect() {
    for (const u of store.usage()) this.set({ limiter: u.limiter }, u.keys);
  });
  metrics.gauge('floodgate_ratelimit_memory_bytes', 'Bytes the keys of a rate limit in this process are charged (at most RATE_LIMIT_MEMORY_MB_PER_LIMIT)', ['limiter'], function collect() {
    for (const u of store.usage()) this.set({ limiter: u.limiter }, u.bytes);
  });
}
