import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, privateRedisAvailable, startPrivateRedis } from '../../../test/support/private-redis.js';
import { closeRedisConnection, createRedisConnection, pingRedis } from '../redis/redis-connection.js';
import type { CounterStore } from './counter-store.js';
import { expectNotLoaded } from './counter-store.contract-test.js';
import { emptyState, freshScope, takeInput } from './counter-store-fixture.contract-test.js';
import { createRedisCounterStore } from './redis-counter-store.js';

const silent = { info: () => {}, warn: () => {} };

/** every operation of the port, each expected to settle (answer or reject) */
const everyOperation = (store: CounterStore, scope: string) => [
  store.load(scope, emptyState(1)),
  store.snapshot(scope),
  store.enqueue(scope, 'm'),
  store.admit(scope, { ratePerSecond: 1, maxUnresolved: 1, nowMs: 1, admissionTtlMs: 1 }),
  store.take(scope, takeInput()),
  store.release(scope, 'h'),
  store.settle(scope, 'h'),
  store.unsell(scope, 'h'),
  store.expired(scope, 1, 1),
  store.drop(scope),
];

// a private server: these tests kill, flush and restart it, which the shared Redis must never see
describe.skipIf(!privateRedisAvailable())('redis counter store when Redis fails', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterAll(() => server?.[Symbol.asyncDispose]());

  it('when Redis is killed, then every operation rejects within the command timeout; after a restart the scope answers NOT_LOADED until it is loaded, then works', async () => {
    const redis = createRedisConnection({ url: server.url, name: 'counters-fault', logger: silent, commandTimeoutMs: 1_000, maxReconnectDelayMs: 200 });
    const store = createRedisCounterStore({ redis, keyPrefix: 'fault:' });
    try {
      const scope = freshScope();
      await store.load(scope, emptyState(5));
      const hold = takeInput();
      expect(await store.take(scope, hold)).toMatchObject({ ok: true });

      await server.kill();
      const started = Date.now();
      const outcomes = await Promise.allSettled(everyOperation(store, scope));
      expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('rejected'));
      expect(Date.now() - started).toBeLessThan(1_500);

      // restarted without persistence: the scope's keys are gone, and nothing guesses them back
      await server.restart();
      await expect.poll(async () => (await pingRedis(redis)).ok, { timeout: 5_000 }).toBe(true);
      await expectNotLoaded(store, scope, hold.holdId);

      // the reconciler reloads from PostgreSQL (here: the hold it knows, with its key), and the sale goes on
      await store.load(scope, { available: 4, holds: [{ holdId: hold.holdId, member: hold.member, quantity: 1, expiresAtMs: hold.expiresAtMs, key: hold.key }], soldByMember: {}, sold: [] });
      expect(await store.take(scope, { ...hold, holdId: 'retry' })).toMatchObject({ ok: true, holdId: hold.holdId, replayed: true });
      expect(await store.take(scope, takeInput())).toMatchObject({ ok: true, replayed: false });
      expect(await store.snapshot(scope)).toMatchObject({ available: 3, held: 2 });
    } finally {
      await closeRedisConnection(redis);
    }
  });

  it('when Redis is flushed mid-sale, then the scope answers NOT_LOADED at once and no unit is sold from a guess', async () => {
    const redis = createRedisConnection({ url: server.url, name: 'counters-flush', logger: silent });
    const store = createRedisCounterStore({ redis, keyPrefix: 'flush:' });
    try {
      const scope = freshScope();
      await store.load(scope, emptyState(3));
      await store.take(scope, takeInput());
      await server.flush();
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take(scope, takeInput())));
      expect(new Set(results.map((r) => (r.ok ? 'OK' : r.code)))).toEqual(new Set(['NOT_LOADED']));
      expect(await server.command('DBSIZE')).toBe(':0');
    } finally {
      await closeRedisConnection(redis);
    }
  });

  it('when the script cache is flushed, then operations still work (ioredis falls back from EVALSHA to EVAL once)', async () => {
    const redis = createRedisConnection({ url: server.url, name: 'counters-scripts', logger: silent });
    const store = createRedisCounterStore({ redis, keyPrefix: 'scripts:' });
    try {
      const scope = freshScope();
      await store.load(scope, emptyState(2));
      expect(await server.command('SCRIPT', 'FLUSH')).toBe('+OK');
      expect(await store.take(scope, takeInput())).toMatchObject({ ok: true });
      expect(await store.snapshot(scope)).toMatchObject({ available: 1, held: 1 });
    } finally {
      await closeRedisConnection(redis);
    }
  });
});
