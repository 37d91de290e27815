import type { Config } from '../config.js';

/**
 * createHttpApp's security options from the configuration (docs/security.md: CORS allow-list, ops token, socket
 * timeouts, request deadline, slow-request threshold, trusted proxies): every process that serves HTTP applies the
 * same. Its own file, so the light `serve docs` process takes them without the rate limits' and Redis' modules.
 */
export const securitySettings = (config: Config) => ({
  corsOrigins: config.corsOrigins,
  opsToken: config.opsToken,
  timeouts: config.httpTimeouts,
  requestDeadlineMs: config.requestDeadlineMs,
  slowRequestMs: config.slowRequestMs,
  logRepeatsPerSecond: config.logRepeatsPerSecond,
  trustProxy: config.trustProxy,
});
