import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { Logger } from 'pino';
import { activeTracing, setActiveTracing, tracingRequested, type ShutdownTracing } from './tracing-switch.js';

export { shutdownTracing, tracingRequested, type ShutdownTracing } from './tracing-switch.js';

export interface TracingOptions {
  /** `service.name` of every span; OTEL_SERVICE_NAME wins when set */
  serviceName: string;
  /** where exporter failures are reported (throttled); stderr JSON when absent */
  logger?: Pick<Logger, 'warn' | 'error' | 'info' | 'debug'>;
  env?: NodeJS.ProcessEnv;
}

const NOOP: ShutdownTracing = async () => {};

// probes, scrapes and the ops page would drown the traces people look for
const UNTRACED_PATHS = /^\/(healthz|readyz|metrics|ops)(\/|$|\?)/;

/** Exporter failures repeat every batch while a collector is down: one line per message a minute is enough. */
function throttledDiagLogger(logger: NonNullable<TracingOptions['logger']>, everyMs = 60_000): DiagLogger {
  const lastSeen = new Map<string, number>();
  const say = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, ...args: unknown[]) => {
    const key = `${level}:${message.slice(0, 120)}`;
    const now = Date.now();
    if (now - (lastSeen.get(key) ?? -Infinity) < everyMs) return;
    lastSeen.set(key, now);
    logger[level]({ otel: args.length ? args.map(String).join(' ').slice(0, 500) : undefined }, `tracing: ${message}`);
  };
  return { error: say('error'), warn: say('warn'), info: say('info'), debug: say('debug'), verbose: say('debug') };
}

const stderrLogger = {
  error: (obj: object, msg: string) => process.stderr.write(`${JSON.stringify({ level: 'error', ...obj, msg })}\n`),
  warn: (obj: object, msg: string) => process.stderr.write(`${JSON.stringify({ level: 'warn', ...obj, msg })}\n`),
  info: () => {},
  debug: () => {},
} as unknown as NonNullable<TracingOptions['logger']>;

/**
 * Starts the OpenTelemetry Node SDK with HTTP, undici, pg, ioredis and amqplib spans, exported by
 * an explicitly constructed exporter: a missing or failing collector is logged (throttled), it never
 * throws into the process. Metrics stay on Prometheus and logs on pino: the SDK only traces.
 * Must run before fastify, pg, ioredis and amqplib are imported — see preload.ts.
 */
export function startTracing({ serviceName, logger = stderrLogger, env = process.env }: TracingOptions): ShutdownTracing {
  if (!tracingRequested(env)) return NOOP;
  const running = activeTracing();
  if (running) return running;
  try {
    const requested = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const kind = requested.find((k) => k === 'otlp' || k === 'console') ?? 'otlp';
    if (requested.some((k) => k !== kind)) logger.warn({ requested }, `tracing: only one trace exporter is supported; using ${kind}`);
    const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
    if (kind === 'otlp' && protocol && protocol !== 'http/json') {
      logger.warn({ protocol }, 'tracing: this build exports OTLP over http/json (collector port 4318); set OTEL_EXPORTER_OTLP_PROTOCOL=http/json');
    }
    const traceExporter = kind === 'console' ? new tracing.ConsoleSpanExporter() : new OTLPTraceExporter();
    const sdk = new NodeSDK({
      ...(env.OTEL_SERVICE_NAME ? {} : { serviceName }),
      traceExporter,
      // explicit and empty: without these the SDK would start OTLP metric and log exporters too
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: [
        new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? '') }),
        new UndiciInstrumentation(),
        // relays and expiry loops poll the database all the time: only statements inside a traced request or event
        new PgInstrumentation({ requireParentSpan: true }),
        new IORedisInstrumentation({ requireParentSpan: true }),
        new AmqplibInstrumentation(),
      ],
    });
    sdk.start();
    // after the SDK, which installs a console logger when OTEL_LOG_LEVEL is set
    diag.setLogger(throttledDiagLogger(logger), { logLevel: env.OTEL_LOG_LEVEL ? DiagLogLevel[env.OTEL_LOG_LEVEL.toUpperCase() as keyof typeof DiagLogLevel] ?? DiagLogLevel.WARN : DiagLogLevel.WARN, suppressOverrideMessage: true });
    logger.info({ serviceName, exporter: kind }, 'tracing: started');
    const shutdown: ShutdownTracing = async () => {
      if (activeTracing() !== shutdown) return;
      setActiveTracing(undefined);
      try {
        await sdk.shutdown();
      } catch (err) {
        logger.warn({ err }, 'tracing: flushing spans at shutdown failed');
      }
    };
    setActiveTracing(shutdown);
    return shutdown;
  } catch (err) {
    // a malformed endpoint or header variable must not stop the shop from opening
    logger.error({ err }, 'tracing: could not start; continuing without traces');
    return NOOP;
  }
}
