import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, privateRedisAvailable, startPrivateRedis } from '../../../test/support/private-redis.js';
import { createMetrics } from '../telemetry/metrics.js';
import { RedisCircuitOpenError } from './redis-breaker.js';
import { closeRedisConnection, createRedisConnection, pingRedis } from './redis-connection.js';

const recordingLogger = () => {
  const lines: Array<{ level: 'info' | 'warn'; msg: string | undefined }> = [];
  return {
    lines,
    info: (_obj: object, msg?: string) => lines.push({ level: 'info', msg }),
    warn: (_obj: object, msg?: string) => lines.push({ level: 'warn', msg }),
  };
};

describe.skipIf(!privateRedisAvailable())('redis connection', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterAll(() => server?.[Symbol.asyncDispose]());

  it('when connected, then commands work, ping answers PONG and the connection names itself', async () => {
    const logger = recordingLogger();
    const redis = createRedisConnection({ url: server.url, name: 'naming', logger });
    try {
      expect(await redis.set('connection-test', '1')).toBe('OK');
      expect(await pingRedis(redis)).toMatchObject({ ok: true });
      expect(await redis.client('GETNAME')).toBe('floodgate:naming');
      expect(logger.lines).toEqual([]);
    } finally {
      await closeRedisConnection(redis);
    }
    expect(redis.status).toBe('end');
  });

  it('when Redis is killed, then commands fail within the deadline, ping says so at once, one warning is logged, and all recovers after a restart', async () => {
    const logger = recordingLogger();
    const redis = createRedisConnection({ url: server.url, name: 'outage', logger, commandTimeoutMs: 1_000, maxReconnectDelayMs: 200 });
    try {
      await redis.ping();
      await server.kill();
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => redis.get(`k${i}`)));
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      // the deadline is the command timeout (1 s); the backoff ceiling and two retries are below it
      expect(Date.now() - started).toBeLessThan(1_500);
      const ping = await pingRedis(redis);
      expect(ping.ok).toBe(false);
      // nobody is listening for a long while: the reconnect attempts keep failing, yet only one line is logged
      await expect.poll(() => logger.lines.filter((l) => l.level === 'warn').length).toBe(1);

      await server.restart();
      await expect.poll(async () => (await pingRedis(redis)).ok, { timeout: 5_000 }).toBe(true);
      expect(await redis.set('after-restart', 'yes')).toBe('OK');
      expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'info']);
    } finally {
      await closeRedisConnection(redis);
    }
  });

  it('when Redis hangs (frozen), then commands reject at the command timeout and ping at its own, and all answers again after a thaw', async () => {
    const logger = recordingLogger();
    const redis = createRedisConnection({ url: server.url, name: 'frozen', logger, commandTimeoutMs: 300 });
    try {
      await redis.ping();
      server.freeze();
      const started = Date.now();
      await expect(redis.get('k')).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await pingRedis(redis, 200)).toMatchObject({ ok: false });
      server.thaw();
      await expect.poll(async () => (await pingRedis(redis)).ok, { timeout: 5_000 }).toBe(true);
      expect(await redis.set('after-thaw', '1')).toBe('OK');
    } finally {
      server.thaw();
      await closeRedisConnection(redis);
    }
  });

  it('when the connection is closed during an outage, then close returns at once and later commands fail', async () => {
    const logger = recordingLogger();
    const redis = createRedisConnection({ url: server.url, name: 'closing', logger, commandTimeoutMs: 300 });
    await redis.ping();
    await server.kill();
    try {
      await expect.poll(() => redis.status).not.toBe('ready');
      const started = Date.now();
      await closeRedisConnection(redis);
      expect(Date.now() - started).toBeLessThan(500);
      await expect(redis.get('after-close')).rejects.toThrow();
    } finally {
      await server.restart();
    }
  });

  it('when auto-pipelining, then the commands of one turn are sent in one write and answer in order, and a breaker on it still opens on a frozen server', async () => {
    const metrics = createMetrics('autopipeline-test');
    const redis = createRedisConnection({ url: server.url, name: 'auto', logger: recordingLogger(), commandTimeoutMs: 300, autoPipelining: true, breaker: { metrics, consecutiveFailures: 5, halfOpenAfterMs: 200 } });
    const plain = createRedisConnection({ url: server.url, name: 'plain', logger: recordingLogger() });
    const readsProcessed = async () => Number(/total_reads_processed:(\d+)/.exec(await plain.info('stats'))![1]);
    try {
      await redis.ping();
      await redis.del('auto-counter');
      const before = await readsProcessed();
      const answers = Array.from({ length: 50 }, () => redis.incr('auto-counter'));
      // queued for this turn's one write (setImmediate), not written one by one
      expect(redis.autoPipelineQueueSize).toBe(50);
      expect(await Promise.all(answers)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // the 50 commands and the INFO itself: Redis read them in at most one read each
      expect((await readsProcessed()) - before).toBeLessThanOrEqual(2);
      server.freeze();
      const timedOut = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => redis.get(`k${i}`)));
      expect(timedOut.every((r) => r.status === 'rejected')).toBe(true);
      await expect(redis.get('while-open')).rejects.toBeInstanceOf(RedisCircuitOpenError);
      server.thaw();
      await expect.poll(async () => redis.get('auto-counter').catch((err: unknown) => String(err)), { timeout: 5_000 }).toBe('50');
    } finally {
      server.thaw();
      await closeRedisConnection(redis);
      await closeRedisConnection(plain);
    }
  });

  it('when Redis hangs and the connection has a breaker, then after 5 unanswered commands the rest fail at once without being sent, reply errors never open it, and it closes after a thaw', async () => {
    const metrics = createMetrics('breaker-test');
    const state = async () => (await metrics.registry.getSingleMetric('floodgate_breaker_state')!.get()).values.find((v) => v.labels.breaker === 'redis:frozen-breaker')?.value;
    const redis = createRedisConnection({ url: server.url, name: 'frozen-breaker', logger: recordingLogger(), commandTimeoutMs: 300, breaker: { metrics, consecutiveFailures: 5, halfOpenAfterMs: 200 } });
    try {
      await redis.set('breaker-string', 'x');
      // answers, even refusals, are not failures: ten WRONGTYPE errors leave it closed
      for (let i = 0; i < 10; i++) await expect(redis.lpush('breaker-string', 'y')).rejects.toThrow(/WRONGTYPE/);
      expect(await state()).toBe(0);
      server.freeze();
      const timedOut = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => redis.get(`k${i}`)));
      expect(timedOut.map((r) => r.status === 'rejected' && /timed out/i.test(String(r.reason)))).toEqual(Array(5).fill(true));
      expect(await state()).toBe(2);
      await expect(redis.get('while-open')).rejects.toBeInstanceOf(RedisCircuitOpenError);
      // a pipeline's commands are refused one by one: exec settles with their errors instead of waiting
      const piped = await redis.pipeline().get('a').get('b').exec();
      expect(piped?.map(([err]) => err instanceof RedisCircuitOpenError)).toEqual([true, true]);
      server.thaw();
      // half-open, of a pipeline's commands the first is the trial, written and answered, and the rest refused; were
      // the rest held until the trial settles (as cockatiel holds calls), the pipeline would never be written, the
      // trial would time out and the circuit would never close while pipelines are all that is sent (cart writes)
      await expect
        .poll(async () => {
          const piped = (await redis.pipeline().get('breaker-string').get('breaker-string').get('breaker-string').exec()) ?? [];
          return piped.some(([err]) => err === null) ? 'answered' : piped.map(([err]) => String(err)).join();
        }, { timeout: 5_000 })
        .toBe('answered');
      expect(await state()).toBe(0);
      expect(await redis.pipeline().get('breaker-string').get('breaker-string').exec()).toEqual([[null, 'x'], [null, 'x']]);
    } finally {
      server.thaw();
      await closeRedisConnection(redis);
    }
  });
});
