import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { HttpAppOptions } from '../platform/http/create-http-app.js';
import { createAdmissionController } from '../platform/overload/admission-controller.js';
import { createDegradationRegistry } from '../platform/overload/degradation.js';
import { localDegradationSettings, redisDegradationSettings } from '../platform/overload/degradation-sync.js';
import { createEventLoopSampler } from '../platform/overload/event-loop-signals.js';
import { closeRedisConnection, createRedisConnection } from '../platform/redis/redis-connection.js';
import { createRateLimiterStore } from '../platform/rate-limits/create-rate-limiter-store.js';
import { registerMemoryLimitGauges } from '../platform/rate-limits/memory-limit-gauges.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import { securitySettings } from './security-settings.js';

/**
 * The abuse and overload protection every process puts in front of its routes, from configuration: client
 * address (TRUST_PROXY), rate limits (in Redis when REDIS_URL is set, so every process shares them) and
 * priority load shedding, and the degradation switches it drives (docs/limits.md); and the security settings of
 * docs/security.md (CORS allow-list, ops token, socket timeouts, request deadline, slow-request threshold).
 * Spread `options` into createHttpApp; `close` after the app closed.
 */
export function httpProtection(config: Config, logger: Logger, metrics?: Metrics) {
  const store = createRateLimiterStore({ redisUrl: config.redisUrl, logger: logger.child({ module: 'rate-limits' }), keyPrefix: config.limits.keyPrefix, memoryBytesPerLimit: config.limits.memoryBytesPerLimit });
  if (metrics) registerMemoryLimitGauges(metrics, store);
  const { shedding } = config;
  // the degradation switches follow the controller's samples; admins' settings go through Redis when several processes share it
  const registry = createDegradationRegistry();
  const redis = config.redisUrl ? createRedisConnection({ url: config.redisUrl, name: 'degradation', logger: logger.child({ module: 'degradation' }), commandTimeoutMs: 500 }) : undefined;
  const settings = redis ? redisDegradationSettings(registry, redis, { key: `${config.redisKeyPrefix}:degradation` }) : localDegradationSettings(registry);
  const options = {
    ...securitySettings(config),
    rateLimits: { store, settings: config.limits },
    shedding: shedding.enabled
      ? {
          controller: createAdmissionController({
            eventLoopDelayMs: shedding.eventLoopDelayMs,
            concurrency: shedding.concurrency,
            ...(shedding.latency ? { latency: shedding.latency } : {}),
            onSample: (state) => registry.observe(state),
          }),
          sampler: createEventLoopSampler(),
          sampleIntervalMs: shedding.sampleIntervalMs,
        }
      : false,
    degradation: registry,
  } satisfies Partial<HttpAppOptions>;
  return {
    options,
    degradation: { registry, settings },
    close: async () => {
      settings.close();
      await store.close();
      if (redis) await closeRedisConnection(redis);
    },
  };
}
