import type { Redis } from 'ioredis';
import { type RedisLogger, closeRedisConnection, createRedisConnection } from '../redis/redis-connection.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { CounterStore } from './counter-store.js';
import { createMemoryCounterStore } from './memory-counter-store.js';
import { createRedisCounterStore } from './redis-counter-store.js';

export interface CounterStoreChoice {
  /** config.redisUrl: set → Redis (every process shares the counters), unset → in-process (all-in-one) */
  redisUrl?: string;
  /** a connection to share instead of opening one from redisUrl; its owner closes it */
  redis?: Redis;
  logger: RedisLogger;
  keyPrefix?: string;
  /** where the connection's breaker state is published (`redis:counters`) */
  metrics?: Metrics;
}

export type SelectedCounterStore =
  | { kind: 'memory'; store: CounterStore }
  /** `redis` is the connection the store uses, for /readyz pings */
  | { kind: 'redis'; store: CounterStore; redis: Redis };

/**
 * Picks the counter store from configuration. Only Redis is correct with more than one process: in-process
 * counters are per process, so two processes would each sell the whole stock.
 */
export function createCounterStore(choice: CounterStoreChoice): SelectedCounterStore {
  if (choice.redis) return { kind: 'redis', store: createRedisCounterStore({ redis: choice.redis, keyPrefix: choice.keyPrefix }), redis: choice.redis };
  if (!choice.redisUrl) return { kind: 'memory', store: createMemoryCounterStore() };
  // a frozen Redis would hold every join, poll refresh and reservation for the 2 s command timeout: after a few
  // unanswered commands the breaker fails them at once (503 to the shopper) until Redis answers again
  const redis = createRedisConnection({ url: choice.redisUrl, name: 'counters', logger: choice.logger, autoPipelining: true, breaker: choice.metrics ? { metrics: choice.metrics } : {} });
  const store = createRedisCounterStore({ redis, keyPrefix: choice.keyPrefix });
  // the connection was opened here, so closing the store closes it
  return { kind: 'redis', store: { ...store, close: () => closeRedisConnection(redis) }, redis };
}
