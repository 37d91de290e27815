import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { wrapFlexibleLimiter } from './flexible-limiter.js';
import { KEY_OVERHEAD_BYTES, keyBytes, RateLimiterLru } from './lru-rate-limiter.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';

/** a full garbage collection, without starting the test process with --expose-gc */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const heapAfterGc = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

describe('RateLimiterLru (the in-memory limits, bounded in bytes)', () => {
  it('when far more keys arrive than its budget holds, then what it is charged never exceeds the budget and the oldest keys make room', async () => {
    const maxBytes = 64 * 1024;
    const lru = new RateLimiterLru({ points: 60, duration: 3_600, maxBytes });
    const perKey = keyBytes(randomUUID());
    for (let i = 0; i < 5_000; i += 1) {
      await lru.consume(randomUUID());
      expect(lru.usage().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(lru.usage()).toEqual({ keys: Math.floor(maxBytes / perKey), bytes: Math.floor(maxBytes / perKey) * perKey, maxBytes });
  });

  it('when the budget is full, then the least recently used key is forgotten (its window restarts) and a key in use keeps its count', async () => {
    const lru = wrapFlexibleLimiter('t', { points: 2, durationSeconds: 3_600 }, new RateLimiterLru({ points: 2, duration: 3_600, maxBytes: keyBytes('hot') * 10 }));
    await lru.consume('cold');
    await lru.consume('cold');
    await lru.consume('hot');
    await lru.consume('hot');
    expect((await lru.consume('hot')).allowed).toBe(false);
    for (let i = 0; i < 50; i += 1) {
      await lru.consume(`k${String(i).padStart(2, '0')}`);
      // the client over its limit keeps asking: it stays the most recent, so it stays refused
      expect((await lru.consume('hot')).allowed).toBe(false);
    }
    expect(await lru.peek('cold')).toEqual({ allowed: true, remaining: 2, consumed: 0, resetMs: 0 });
  });

  it('when a key is remembered, then its real cost in the heap is no more than it is charged', async () => {
    const lru = new RateLimiterLru({ points: 60, duration: 3_600, maxBytes: 1024 ** 3 });
    const before = heapAfterGc();
    // keys made here and held only by the limiter, as a customer id or an address arrives from a request
    for (let i = 0; i < 60_000; i += 1) await lru.consume(randomUUID());
    const grown = heapAfterGc() - before;
    const { keys, bytes } = lru.usage();
    expect(keys).toBe(60_000);
    expect(bytes).toBe(60_000 * (KEY_OVERHEAD_BYTES + 36));
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThanOrEqual(bytes);
  });
});

describe('the in-memory rate-limit store', () => {
  it('when each limit fills its own budget, then every limit stays within it and one limit\'s keys never push out another\'s', async () => {
    const maxBytesPerLimit = 32 * 1024;
    const store = createMemoryRateLimiterStore({ maxBytesPerLimit });
    const lockout = store.limiter('lockout', { points: 1, durationSeconds: 900 });
    const guests = store.limiter('guests', { points: 60, durationSeconds: 3_600 });
    await lockout.block('attacker|10.0.0.1', 900);
    for (let i = 0; i < 3_000; i += 1) await guests.consume(`10.1.${i >> 8}.${i & 255}`);
    const usage = store.usage();
    expect(usage.map((u) => u.limiter)).toEqual(['lockout', 'guests']);
    for (const u of usage) expect(u.bytes).toBeLessThanOrEqual(maxBytesPerLimit);
    expect(usage[1]!.keys).toBeLessThan(3_000);
    expect((await lockout.peek('attacker|10.0.0.1')).allowed).toBe(false);
  });
});
