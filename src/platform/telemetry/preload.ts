/**
 * Starts tracing before anything it instruments is imported. Import it FIRST, e.g. in bin/floodgate.js:
 *
 *   register();                                              // tsx
 *   await import('../src/platform/telemetry/preload.ts');    // before main.ts pulls in fastify, pg …
 *   await import('../src/main.ts');
 *
 * or `node --import tsx --import ./src/platform/telemetry/preload.ts src/main.ts …`. It does nothing
 * unless the OTEL_* variables ask for traces (see tracing-switch.ts), so it is safe to import always.
 */
import { createLogger } from './logger.js';
import { tracingRequested } from './tracing-switch.js';

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
  // only now: OpenTelemetry's modules cost ~0.4 s of CPU at every start that does not trace
  const { startTracing } = await import('./tracing.js');
  startTracing({ serviceName, logger: createLogger({ service: serviceName, ...(format ? { pretty: format === 'pretty' } : {}) }) });
}
