import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { HttpAppOptions } from '../platform/http/create-http-app.js';
import { createAdmissionController } from '../platform/overload/admission-controller.js';
import { createEventLoopSampler } from '../platform/overload/event-loop-signals.js';
import { createRateLimiterStore } from '../platform/rate-limits/create-rate-limiter-store.js';

/**
 * The abuse and overload protection every process puts in front of its routes, from configuration: client
 * address (TRUST_PROXY), rate limits (in Redis when REDIS_URL is set, so every process shares them) and
 * priority load shedding. Spread `options` into createHttpApp; `close` after the app closed.
 */
export function httpProtection(config: Config, logger: Logger) {
  const store = createRateLimiterStore({ redisUrl: config.redisUrl, logger: logger.child({ module: 'rate-limits' }), keyPrefix: config.limits.keyPrefix });
  const { shedding } = config;
  const options = {
    trustProxy: config.trustProxy,
    rateLimits: { store, settings: config.limits },
    shedding: shedding.enabled
      ? { controller: createAdmissionController({ eventLoopDelayMs: shedding.eventLoopDelayMs, concurrency: shedding.concurrency }), sampler: createEventLoopSampler() }
      : false,
  } satisfies Partial<HttpAppOptions>;
  return { options, close: () => store.close() };
}
