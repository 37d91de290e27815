import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RateLimiterStore } from './rate-limiter.js';

/** The one suite every rate-limit store runs (memory-rate-limiter-store.test.ts, redis-rate-limiter-store.int.test.ts). */
export function rateLimiterContract(name: string, make: () => RateLimiterStore) {
  describe(`${name} rate limiter`, () => {
    const limiter = (points: number, durationSeconds = 60) => make().limiter(`contract-${randomUUID()}`, { points, durationSeconds });

    it('when a key uses its points, then each consume is allowed with one point fewer left, and the next is refused until the window resets', async () => {
      const limit = limiter(3, 60);
      const states = [];
      for (let i = 0; i < 4; i += 1) states.push(await limit.consume('k'));
      expect(states.map((s) => [s.allowed, s.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
      expect(states[3]!.resetMs).toBeGreaterThan(50_000);
      expect(states[3]!.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('when one key is refused, then another key of the same limit is not', async () => {
      const limit = limiter(1);
      await limit.consume('a');
      expect((await limit.consume('a')).allowed).toBe(false);
      expect((await limit.consume('b')).allowed).toBe(true);
    });

    it('when two limits share a key, then each counts on its own', async () => {
      const store = make();
      const first = store.limiter(`contract-${randomUUID()}`, { points: 1, durationSeconds: 60 });
      const second = store.limiter(`contract-${randomUUID()}`, { points: 1, durationSeconds: 60 });
      await first.consume('k');
      expect((await first.consume('k')).allowed).toBe(false);
      expect((await second.consume('k')).allowed).toBe(true);
    });

    it('when 40 consumes race for 10 points, then exactly 10 are allowed', async () => {
      const limit = limiter(10);
      const states = await Promise.all(Array.from({ length: 40 }, () => limit.consume('k')));
      expect(states.filter((s) => s.allowed)).toHaveLength(10);
    });

    it('when peeking, then nothing is used, and a key never seen has all its points', async () => {
      const limit = limiter(2);
      expect(await limit.peek('new')).toEqual({ allowed: true, remaining: 2, consumed: 0, resetMs: 0 });
      await limit.consume('k');
      expect((await limit.peek('k')).remaining).toBe(1);
      expect((await limit.peek('k')).remaining).toBe(1);
    });

    it('when penalties are added, then they count against the limit; a reward gives points back', async () => {
      const limit = limiter(3);
      const penalised = await limit.penalty('k', 3);
      expect(penalised).toMatchObject({ consumed: 3, remaining: 0 });
      expect((await limit.consume('k')).allowed).toBe(false);
      await limit.reward('k', 2);
      expect((await limit.consume('k')).allowed).toBe(true);
    });

    it('when a key is blocked, then it is refused for that long, and a reset lifts it', async () => {
      const limit = limiter(100);
      await limit.block('k', 30);
      const refused = await limit.consume('k');
      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBeGreaterThan(25_000);
      expect(refused.resetMs).toBeLessThanOrEqual(30_000);
      expect((await limit.peek('k')).allowed).toBe(false);
      await limit.reset('k');
      expect((await limit.consume('k')).allowed).toBe(true);
    });

    it('when the window has passed, then the key is allowed again', async () => {
      const limit = limiter(1, 1);
      await limit.consume('k');
      expect((await limit.consume('k')).allowed).toBe(false);
      await expect.poll(async () => (await limit.peek('k')).allowed, { timeout: 3_000, interval: 100 }).toBe(true);
      expect((await limit.consume('k')).allowed).toBe(true);
    });
  });
}
