import { Redis } from 'ioredis';
import { guardRedisWithBreaker, type RedisBreakerOptions } from './redis-breaker.js';
import { jitteredBackoffMs } from '../resilience/backoff.js';

/** the part of a pino logger a connection reports to */
export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// */
  url: string;
  /** who this connection is, in logs and in Redis' CLIENT LIST (e.g. 'counters', 'rate-limits') */
  name: string;
  logger: RedisLogger;
  /**
   * A command that has no answer within this fails (queued while disconnected, or sent to a frozen server),
   * so a request never waits on Redis longer than this. Default 2000 ms.
   */
  commandTimeoutMs?: number;
  /** longest wait for a TCP connect. Default 2000 ms */
  connectTimeoutMs?: number;
  /** ceiling of the reconnect backoff (50 ms doubling, with jitter). Default 2000 ms */
  maxReconnectDelayMs?: number;
  /**
   * Reconnect attempts a queued command waits through before it fails. Default 1: during an outage commands
   * fail within about two reconnect attempts instead of piling up in memory until Redis returns.
   */
  maxRetriesPerRequest?: number;
  /**
   * A circuit breaker on the commands sent while connected (redis-breaker.ts): a server that stops answering
   * costs `consecutiveFailures` timeouts, then commands fail at once until it answers again. Not for
   * subscriber connections. Named `redis:<name>` in the breaker metrics.
   */
  breaker?: Omit<RedisBreakerOptions, 'name'>;
  /**
   * Commands sent in one event-loop turn go to Redis in one write (ioredis auto-pipelining: queued until
   * setImmediate). For connections that carry requests' commands (counters, carts): a busy process then makes one
   * write and wakes Redis once per turn instead of once per request (BENCHMARKS.md 2026-12-01, 14:30). Not for a
   * subscriber. Default false.
   */
  autoPipelining?: boolean;
}

/** 50 ms doubling to the ceiling; each delay is drawn from its upper half, so many processes do not reconnect in step */
export function reconnectDelayMs(attempt: number, maxMs: number, random: () => number = Math.random): number {
  return jitteredBackoffMs(attempt, { initialMs: 50, maxMs }, random);
}

/**
 * A Redis connection shared by the platform parts that use Redis (counters, rate limits, caches). It never
 * throws an unhandled 'error' event (an outage is logged once, and again when it is over), reconnects forever
 * with bounded backoff, and fails commands fast while Redis is away: callers answer 503 and retry, they do
 * not hang. It connects at once; the first commands wait (up to commandTimeoutMs) for the connection.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const { url, name, logger } = options;
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const redis = new Redis(url, {
    connectionName: `floodgate:${name}`,
    enableAutoPipelining: options.autoPipelining ?? false,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    retryStrategy: (attempt) => reconnectDelayMs(attempt, maxDelay),
    // a command whose reply was lost with the connection may have run: resending could run it twice, so it
    // fails and its caller decides (counter operations are idempotent or answer from their own state)
    autoResendUnfulfilledCommands: false,
    // READONLY after a failover is answered by reconnecting to the new primary
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
  });
  if (options.breaker) guardRedisWithBreaker(redis, { ...options.breaker, name: `redis:${name}` });

  let down = false;
  const where = redactedUrl(url);
  redis.on('error', (err: Error) => {
    // ioredis reports every failed reconnect; one line per outage is enough to see it, the metrics show its length
    if (down) return;
    // an error on a working connection (rare) is logged each time; an outage's repeats are not
    down = redis.status !== 'ready';
    logger.warn({ redis: name, url: where, err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'redis unavailable; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: name, url: where }, 'redis available again');
  });
  return redis;
}

/** the url without its password, for logs */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable redis url)';
  }
}

export type RedisPing = { ok: true; latencyMs: number } | { ok: false; error: string };

/**
 * One PING for /readyz, answered within `timeoutMs`. A connection that is not ready answers at once (its
 * status says why) instead of queueing a ping behind the reconnect.
 */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<RedisPing> {
  if (redis.status !== 'ready') return { ok: false, error: `connection is ${redis.status}` };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    if (answer !== 'PONG') return { ok: false, error: `unexpected answer ${String(answer)}` };
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * QUIT when connected (pending replies arrive first), else just disconnect; either way reconnecting stops and
 * the process can exit. Bounded: a server that does not answer QUIT is cut after `timeoutMs`. (A connection
 * closed between reconnect attempts keeps the status 'reconnecting' in ioredis, but makes no further attempt.)
 */
export async function closeRedisConnection(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  try {
    await Promise.race([redis.quit(), deadline]);
  } catch {
    // the connection dropped while quitting: it is closed either way
  }
  redis.disconnect();
  await Promise.race([ended, deadline]);
  clearTimeout(timer);
}
