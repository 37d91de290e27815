/**
 * Starts tracing before anything it instruments is imported. Import it FIRST, e.g. in bin/floodgate.js:
 *
 *   register();                                              // tsx
 *   await import('../src/platform/telemetry/preload.ts');    // before main.ts pulls in fastify, pg …
 *   await import('../src/main.ts');
 *
 * or `node --import tsx --import ./src/platform/telemetry/preload.ts src/main.ts …`. It does nothing
 * unless the OTEL_* variables ask for traces (see tracing.ts), so it is safe to import always.
 */
import { createLogger } from './logger.js';
import { startTracing, tracingRequested } from './tracing.js';

/** `floodgate serve catalog` → floodgate-catalog; `floodgate worker outbox` → floodgate-worker-outbox. */
export function serviceNameFromArgv(argv: readonly string[] = process.argv): string {
  const [command, name] = argv.slice(2);
  if (command === 'serve' && name) return `floodgate-${name}`;
  if (command === 'worker' && name) return `floodgate-worker-${name}`;
  return 'floodgate';
}

if (tracingRequested()) {
  const serviceName = process.env.OTEL_SERVICE_NAME ?? serviceNameFromArgv();
  // runs before config.ts is loaded (and must not fail on its errors): honour the same LOG_FORMAT switch
  const format = process.env.LOG_FORMAT;
  startTracing({ serviceName, logger: createLogger({ service: serviceName, ...(format ? { pretty: format === 'pretty' } : {}) }) });
}
