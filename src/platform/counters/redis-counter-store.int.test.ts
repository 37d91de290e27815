import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { closeRedisConnection, createRedisConnection } from '../redis/redis-connection.js';
import { counterStoreContract, expectNotLoaded } from './counter-store.contract-test.js';
import { emptyState, freshScope, takeInput } from './counter-store-fixture.contract-test.js';
import { createRedisCounterStore } from './redis-counter-store.js';
import { keysUnder as keysUnderPrefix } from '../../../test/support/redis-keys.js';

const available = await serviceAvailable('redis');
const silent = { info: () => {}, warn: () => {} };
// the shared Redis: every test works under its own random key prefix, and only those keys are ever deleted
const redis: Redis | undefined = available ? createRedisConnection({ url: TEST_SERVICES.redis, name: 'counter-store-test', logger: silent }) : undefined;
const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `fgtest:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
};

const keysUnder = (prefix: string) => keysUnderPrefix(redis!, prefix);

afterAll(async () => {
  if (!redis) return;
  for (const prefix of prefixes) {
    const keys = await keysUnder(prefix);
    if (keys.length > 0) await redis.del(...keys);
  }
  await closeRedisConnection(redis);
});

describe.skipIf(!available)('redis counter store', () => {
  counterStoreContract('redis', () => createRedisCounterStore({ redis: redis!, keyPrefix: newPrefix() }));

  describe('across connections', () => {
    it('when 4 connections (as 4 processes would) race 1,000 takes for 10 units, then exactly 10 succeed and no member passes its limit', async () => {
      const prefix = newPrefix();
      const connections = Array.from({ length: 4 }, (_, i) => createRedisConnection({ url: TEST_SERVICES.redis, name: `counter-race-${i}`, logger: silent }));
      try {
        const stores = connections.map((connection) => createRedisCounterStore({ redis: connection, keyPrefix: prefix }));
        const scope = freshScope();
        await stores[0]!.load(scope, emptyState(10));
        const results = await Promise.all(
          Array.from({ length: 1_000 }, (_, i) => stores[i % 4]!.take(scope, takeInput({ member: `m${i % 7}`, limit: 2 }))),
        );
        const won = results.filter((r) => r.ok).length;
        expect(won).toBe(10);
        expect(results.every((r) => r.ok || r.code === 'SOLD_OUT' || r.code === 'LIMIT_REACHED')).toBe(true);
        const perMember = await redis!.hgetall(`${prefix}{sale:${scope}}:members`);
        for (const units of Object.values(perMember)) expect(Number(units)).toBeLessThanOrEqual(2);
        expect(await stores[3]!.snapshot(scope)).toMatchObject({ available: 0, held: 10 });
      } finally {
        await Promise.all(connections.map((connection) => closeRedisConnection(connection)));
      }
    });
  });

  describe('keys', () => {
    it('when a scope is used, then all its keys share the hash tag {sale:<scope>}, so they live in one cluster slot', async () => {
      const prefix = newPrefix();
      const store = createRedisCounterStore({ redis: redis!, keyPrefix: prefix });
      const scope = freshScope();
      await store.load(scope, { available: 3, holds: [{ holdId: 'h', member: 'm', quantity: 1, expiresAtMs: 5 }], soldByMember: { s: 1 }, sold: [{ holdId: 's1', member: 's', quantity: 1 }] });
      await store.enqueue(scope, 'waiting');
      await store.admit(scope, { ratePerSecond: 10, maxUnresolved: 10, nowMs: 1_000, admissionTtlMs: 60_000 });
      await store.take(scope, takeInput({ member: 'waiting' }));
      const keys = await keysUnder(prefix);
      expect(keys.length).toBeGreaterThanOrEqual(10);
      for (const key of keys) expect(key.slice(key.indexOf('{') + 1, key.indexOf('}'))).toBe(`sale:${scope}`);
    });

    it('when a key prefix holds a brace, then the store refuses it', () => {
      expect(() => createRedisCounterStore({ redis: redis!, keyPrefix: 'x{y}:' })).toThrow(RangeError);
    });
  });

  describe('lost keys', () => {
    it("when a scope's keys vanish (a flush or a restart without persistence), then every operation answers NOT_LOADED until it is loaded again", async () => {
      const prefix = newPrefix();
      const store = createRedisCounterStore({ redis: redis!, keyPrefix: prefix });
      const scope = freshScope();
      await store.load(scope, emptyState(5));
      const hold = takeInput();
      await store.take(scope, hold);
      await store.enqueue(scope, 'waiting');
      await redis!.del(...(await keysUnder(prefix)));
      await expectNotLoaded(store, scope, hold.holdId);
      await store.load(scope, emptyState(4));
      expect(await store.take(scope, takeInput())).toMatchObject({ ok: true });
    });

    it('when only the meta key is lost, then the scope is not loaded, whatever else remains', async () => {
      const prefix = newPrefix();
      const store = createRedisCounterStore({ redis: redis!, keyPrefix: prefix });
      const scope = freshScope();
      await store.load(scope, emptyState(5));
      const hold = takeInput();
      await store.take(scope, hold);
      await redis!.del(`${prefix}{sale:${scope}}:meta`);
      await expectNotLoaded(store, scope, hold.holdId);
    });
  });
});
