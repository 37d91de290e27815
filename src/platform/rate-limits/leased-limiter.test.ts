import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../loadtest/virtual-user.js';
import { leasedLimiter } from './leased-limiter.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';
import type { RateLimiter } from './rate-limiter.js';

/** the store's limiter, counting the consumes it is asked (the round trips a Redis store would make) */
function counted(inner: RateLimiter) {
  const calls = { consume: 0 };
  const limiter: RateLimiter = { ...inner, consume: (key, points) => ((calls.consume += 1), inner.consume(key, points)) };
  return { limiter, calls };
}
const storeLimiter = (points: number, durationSeconds = 60) => createMemoryRateLimiterStore().limiter(`lease-${randomUUID()}`, { points, durationSeconds });

describe('leased rate limiter', () => {
  it('when one process uses a limit of 100 one request at a time, then exactly 100 are allowed, remaining counts down by one, and the store is asked once per lease of 10', async () => {
    const store = counted(storeLimiter(100));
    const limit = leasedLimiter(store.limiter);
    const states = [];
    for (let i = 0; i < 105; i++) states.push(await limit.consume('k'));
    expect(states.filter((s) => s.allowed)).toHaveLength(100);
    expect(states.slice(0, 100).map((s) => s.remaining)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    expect(states.slice(100).every((s) => !s.allowed && s.remaining === 0 && s.resetMs > 50_000)).toBe(true);
    // ten leases, one refused lease; the refusals after it are answered here
    expect(store.calls.consume).toBe(11);
  });

  it('when 300 consumes of one key race in one process, then exactly the limit is allowed and concurrent requests share a lease', async () => {
    const store = counted(storeLimiter(100));
    const limit = leasedLimiter(store.limiter);
    const states = await Promise.all(Array.from({ length: 300 }, () => limit.consume('k')));
    expect(states.filter((s) => s.allowed)).toHaveLength(100);
    expect(store.calls.consume).toBeLessThanOrEqual(11);
  });

  it('when several processes lease from one store in random order, then together they never get more than the limit, and a key that reaches it loses at most the others\' unspent leases', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const shared = storeLimiter(100);
      const processes = Array.from({ length: 4 }, () => leasedLimiter(shared));
      const states = await Promise.all(Array.from({ length: 400 }, async () => {
        // each request lands on a random process, at a random moment
        await new Promise((resolve) => setImmediate(resolve));
        return processes[Math.floor(random() * processes.length)]!.consume('k');
      }));
      const allowed = states.filter((s) => s.allowed).length;
      expect(allowed).toBeLessThanOrEqual(100);
      expect(allowed).toBeGreaterThanOrEqual(100 - 3 * 10);
    }
  });

  it('when a key is refused, then its window is not asked about again until it ends, and after it the key is allowed again', async () => {
    const store = counted(storeLimiter(20, 1));
    const limit = leasedLimiter(store.limiter);
    for (let i = 0; i < 20; i++) expect((await limit.consume('k')).allowed).toBe(true);
    expect((await limit.consume('k')).allowed).toBe(false);
    const asked = store.calls.consume;
    for (let i = 0; i < 50; i++) expect((await limit.consume('k')).allowed).toBe(false);
    expect(store.calls.consume).toBe(asked);
    await expect.poll(async () => (await limit.consume('k')).allowed, { timeout: 3_000, interval: 100 }).toBe(true);
  });

  it('when the store fails, then the waiting consumes fail with it (the caller lets them through) and the next one asks again', async () => {
    const inner = storeLimiter(100);
    let failing = true;
    const flaky: RateLimiter = { ...inner, consume: (key, points) => (failing ? Promise.reject(new Error('store down')) : inner.consume(key, points)) };
    const limit = leasedLimiter(flaky);
    const outcomes = await Promise.allSettled([limit.consume('k'), limit.consume('k')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    failing = false;
    expect((await limit.consume('k')).allowed).toBe(true);
  });

  it('when a limit has under twenty points, then every consume is the store\'s own (a lease of one point would change nothing); from twenty on it is leased', () => {
    const inner = storeLimiter(19);
    expect(leasedLimiter(inner)).toBe(inner);
    const twenty = storeLimiter(20);
    expect(leasedLimiter(twenty)).not.toBe(twenty);
  });

  it('when a key is reset or blocked, then its lease here goes too', async () => {
    const limit = leasedLimiter(storeLimiter(100));
    await limit.consume('k');
    await limit.block('k', 30);
    expect((await limit.consume('k')).allowed).toBe(false);
    await limit.reset('k');
    expect((await limit.consume('k')).allowed).toBe(true);
  });
  it('when a lease is held here, then consumeNow answers from it synchronously and counts like consume; without one, or past its window, it answers undefined and counts nothing', async () => {
    let clock = 0;
    const store = counted(storeLimiter(100));
    const limit = leasedLimiter(store.limiter, { now: () => clock });
    // no lease yet: only the store can tell, and nothing is spent
    expect(limit.consumeNow!('k')).toBeUndefined();
    expect(store.calls.consume).toBe(0);
    expect((await limit.consume('k')).remaining).toBe(99);
    // the rest of the lease of ten, then the store again
    const now = Array.from({ length: 9 }, () => limit.consumeNow!('k'));
    expect(now.map((s) => s?.remaining)).toEqual([98, 97, 96, 95, 94, 93, 92, 91, 90]);
    expect(limit.consumeNow!('k')).toBeUndefined();
    expect(store.calls.consume).toBe(1);
    expect((await limit.consume('k')).remaining).toBe(89);
    expect(store.calls.consume).toBe(2);
    // past the window the lease is not used: consume drops it and leases again
    clock += 61_000;
    expect(limit.consumeNow!('k')).toBeUndefined();
    expect((await limit.consume('k')).allowed).toBe(true);
    expect(store.calls.consume).toBe(3);
  });

  it('when a key was refused, then consumeNow refuses it from memory until the window ends', async () => {
    const store = counted(storeLimiter(20));
    const limit = leasedLimiter(store.limiter);
    for (let i = 0; i < 20; i++) expect((await limit.consume('k')).allowed).toBe(true);
    expect((await limit.consume('k')).allowed).toBe(false);
    const asked = store.calls.consume;
    const refused = limit.consumeNow!('k');
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused!.resetMs).toBeGreaterThan(50_000);
    expect(store.calls.consume).toBe(asked);
  });

  it('when consumeNow and consume mix under concurrency, then exactly the limit is allowed', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const random = seededRandom(seed);
      const limit = leasedLimiter(storeLimiter(100));
      const states = await Promise.all(Array.from({ length: 300 }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return (random() < 0.5 ? limit.consumeNow!('k') : undefined) ?? limit.consume('k');
      }));
      expect(states.filter((s) => s.allowed)).toHaveLength(100);
    }
  });
});
