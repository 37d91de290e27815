import { describe, expect, it } from 'vitest';
import { createMetrics } from '../telemetry/metrics.js';
import { registerMemoryLimitGauges } from './memory-limit-gauges.js';
import { keyBytes } from './lru-rate-limiter.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';

describe('floodgate_ratelimit_memory_{keys,bytes}', () => {
  it('when limits remember keys, then each limit reports its own count and charge at the scrape', async () => {
    const metrics = createMetrics('limit_gauges_test');
    const store = createMemoryRateLimiterStore();
    registerMemoryLimitGauges(metrics, store);
    const guests = store.limiter('guest-per-address', { points: 60, durationSeconds: 3_600 });
    store.limiter('checkout-per-customer', { points: 20, durationSeconds: 60 });
    await guests.consume('10.0.0.1');
    await guests.consume('10.0.0.2');
    const page = await metrics.registry.metrics();
    expect(page).toContain('floodgate_ratelimit_memory_keys{limiter="guest-per-address",service="limit_gauges_test"} 2');
    expect(page).toContain('floodgate_ratelimit_memory_keys{limiter="checkout-per-customer",service="limit_gauges_test"} 0');
    expect(page).toContain(`floodgate_ratelimit_memory_bytes{limiter="guest-per-address",service="limit_gauges_test"} ${2 * keyBytes('10.0.0.1')}`);
  });
});
