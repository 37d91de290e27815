import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { trace } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { Authenticate, Principal } from '../auth/principal.js';
import type { AdmissionController } from '../overload/admission-controller.js';
import type { EventLoopSampler } from '../overload/event-loop-signals.js';
import type { LimitSettings } from '../rate-limits/limit-catalogue.js';
import type { RateLimiterStore } from '../rate-limits/rate-limiter.js';
import type { HttpApp, ServiceModule } from '../service.js';
import type { Metrics } from '../telemetry/metrics.js';
import { registerOpsPage } from '../telemetry/ops-page.js';
import { apiDocumentOptions } from './api-document.js';
import { registerApiKeyUseAudit } from './api-key-use-audit.js';
import { registerAuth } from './auth-hook.js';
import { corsPolicy } from './cors-policy.js';
import { deprecationNotices } from './deprecation.js';
import { noStore } from './no-store.js';
import { opsAccess } from './ops-access.js';
import { answerClientError, answerFrameworkError } from './client-errors.js';
import { registerProblemDetails } from './problem-details.js';
import { requestDeadline } from './request-deadline.js';
import { requestLog } from './request-log.js';
import { routeInventory } from './route-inventory.js';
import { loadShedding } from './load-shedding.js';
import type { DegradationRegistry } from '../overload/degradation.js';
import { degradationDetail, registerDegradationMetrics } from '../overload/degradation-metrics.js';
import { rateLimiting } from './rate-limiting.js';
import { DOCS_CSP, DOCUMENT_SECURITY_HEADERS, securityHeaders } from './security-headers.js';
import { serverTimeouts, type HttpTimeouts } from './server-timeouts.js';
import { newRequestId } from '../ids.js';
import { createFastLane, fastLaneServerFactory, type FastLane } from './fast-lane.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { responseCompression } from './response-compression.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** answers remembered URLs from memory ahead of the framework (fast-lane.ts); absent when CORS is on */
    fastLane: FastLane | undefined;
  }
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  authenticate: Authenticate;
  /** a bearer token's principal when this process verified it before and still trusts it (jwt-verifier's peek): lets the fast lane answer polls */
  peekPrincipal?: (bearer: string) => Principal | undefined;
  /** when given, API key use is audited (once per key per minute) */
  audit?: AuditLog;
  modules: ServiceModule[];
  /** each must resolve when its dependency is reachable; /readyz fails otherwise */
  readinessChecks: Record<string, () => Promise<void>>;
  /** a check that has not answered by then counts as down, so /readyz answers in time even if a dependency hangs */
  readinessTimeoutMs?: number;
  /** while true, /readyz answers 503 and every answer carries `Connection: close` (see drain-connections.ts) */
  isDraining?: () => boolean;
  title?: string;
  /** PUBLIC_URL: the address clients use, named as the API document's server; the document's own origin when absent */
  publicUrl?: string;
  bodyLimitBytes?: number;
  /** browser origins allowed by CORS (CORS_ORIGINS); none when absent */
  corsOrigins?: readonly string[];
  /** FLOODGATE_OPS_TOKEN: when set, /metrics, /ops data and readiness details need it */
  opsToken?: string;
  /** socket timeouts (HTTP_*_TIMEOUT_MS); safe defaults when absent */
  timeouts?: HttpTimeouts;
  /** REQUEST_DEADLINE_MS: each request's time for its dependencies (request-deadline.ts); 10 s when absent */
  requestDeadlineMs?: number;
  /** LOG_SLOW_REQUEST_MS: a request slower than this is logged at warn (request-log.ts); 1 s when absent */
  slowRequestMs?: number;
  /** LOG_REPEATS_PER_SECOND: request lines alike written per second before the rest are folded (request-log.ts); 0 when absent */
  logRepeatsPerSecond?: number;
  /** TRUST_PROXY: who may set the client address in X-Forwarded-For; `loopback` when absent */
  trustProxy?: boolean | number | string[];
  /** rate limits (config.limits, a store from createRateLimiterStore, see runtime/http-protection.ts); none when absent */
  rateLimits?: { store: RateLimiterStore; settings: LimitSettings };
  /**
   * priority load shedding (config.shedding, see runtime/http-protection.ts); none when absent. Tests pass a
   * controller and no sampler, and tick it themselves.
   */
  shedding?: { controller: AdmissionController; sampler?: EventLoopSampler; sampleIntervalMs?: number } | false;
  /** the degradation switches (overload/degradation.ts): shown in /readyz detail and as metrics */
  degradation?: DegradationRegistry;
}

/** a hop count as Fastify applies one (its types take no number): trust the nearest `hops` proxies */
const trustProxyOption = (given: HttpAppOptions['trustProxy']) =>
  typeof given === 'number' ? (_address: string, hop: number) => hop < given : (given ?? 'loopback');

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Every service process is its own gateway: the same plugins in front of whichever modules it hosts. */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const timeouts = serverTimeouts(options.timeouts);
  // CORS answers vary by Origin (@fastify/cors decides per request): with an allow-list, the framework answers all
  const fastLane = (options.corsOrigins ?? []).length === 0
    ? createFastLane({ metrics: options.metrics, logger: options.logger, commonHeaders: SECURITY_HEADERS, ...(options.peekPrincipal ? { peekPrincipal: options.peekPrincipal } : {}), ...(options.isDraining ? { isDraining: options.isDraining } : {}) })
    : undefined;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // honour a caller's request id when it is sane, so one id follows a request across services
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId();
    },
    requestIdHeader: false,
    // req.ip is the client's address when a trusted proxy (a local nginx, a load test) passed it on
    trustProxy: trustProxyOption(options.trustProxy),
    // one line per request is written by request-log.ts, with route and duration
    logController: new LogController({ disableRequestLogging: true }),
    // every line a request logs carries its trace id when tracing is on (the HTTP span is active here)
    childLoggerFactory: (logger, bindings, opts) => {
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      return logger.child(traceId ? { ...bindings, traceId } : bindings, opts);
    },
    // long ids reach the route and fail its schema (400 naming the param) instead of the router's bare 414
    routerOptions: { maxParamLength: 2048 },
    ...timeouts,
    ...(fastLane ? { serverFactory: fastLaneServerFactory(fastLane, timeouts) } : {}),
    // what the parser and router refuse is answered as problem+json too, never Fastify's own JSON
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // during app.close() a request on a still-open keep-alive connection is served (with Connection: close,
    // which Fastify sets) rather than given Fastify's bare 503; shutdown drains connections before closing
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>() as HttpApp;

  // an empty JSON body means "no body" (clients often send the header on body-less POSTs);
  // the route's schema then decides whether a body was required
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return parseJson(req, body as string, done);
  });
  // the API speaks JSON only: a text/plain body is a 415, not a string handed to a route
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemDetails(app as unknown as FastifyInstance);
  app.decorate('fastLane', fastLane);
  // first of all: a request refused for overload costs no work at all
  const shedding = options.shedding;
  if (shedding) await app.register(loadShedding, { ...shedding, metrics: options.metrics });
  // first, so every later hook and the handler run inside the request's deadline
  await app.register(requestDeadline, { ms: options.requestDeadlineMs ?? 10_000 });
  await app.register(routeInventory);
  await app.register(securityHeaders);
  // before any route: the plugin adds its hook to each route as it is declared
  await app.register(responseCompression);
  await app.register(noStore);
  await app.register(corsPolicy, { origins: options.corsOrigins ?? [] });
  await app.register(opsAccess, { token: options.opsToken });
  registerAuth(app as unknown as FastifyInstance, options.authenticate, options.peekPrincipal);
  // the routes' hooks run in the order their onRoute hooks were added: auth, then the API key's use, then limits
  if (options.audit) registerApiKeyUseAudit(app as unknown as FastifyInstance, options.audit);
  // after auth, so per-customer limits know the principal; before the body is read
  if (options.rateLimits) await app.register(rateLimiting, { ...options.rateLimits, metrics: options.metrics });

  // callback-style hooks: an async hook costs a promise per request
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    // name the HTTP server span after the route template, so traces group by endpoint (no-op when tracing is off)
    const route = req.routeOptions.url;
    if (route) trace.getActiveSpan()?.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
    done();
  });
  // draining: answer, then close, so the client opens its next connection elsewhere instead of being reset
  // (onSend, so a request that arrived before the drain began is closed after its answer too)
  const isDraining = options.isDraining;
  if (isDraining) {
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (isDraining()) reply.header('connection', 'close');
      done(null, payload);
    });
  }
  await app.register(requestLog, { metrics: options.metrics, slowMs: options.slowRequestMs ?? 1_000, repeatsPerSecond: options.logRepeatsPerSecond ?? 0 });

  await app.register(deprecationNotices);
  await app.register(fastifySwagger, apiDocumentOptions({ ...(options.title ? { title: options.title } : {}), ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) }));
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    // the UI is a document: it gets the headers only documents need (security-headers.ts)
    uiHooks: { onRequest: (_req, reply, done) => void (reply.headers(DOCUMENT_SECURITY_HEADERS), done()) },
  });

  app.get('/v1/openapi.json', { config: { criticality: 'low' }, schema: { hide: true } }, async () => app.swagger());
  // probes are never shed (an overloaded process that fails its readiness probe only moves its load to its
  // peers) and are logged only when they fail (request-log.ts)
  app.get('/healthz', { config: { probe: true, criticality: 'critical' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { probe: true, criticality: 'critical' }, schema: { hide: true } }, async (req, reply) => {
    if (options.isDraining?.()) return reply.code(503).send({ status: 'draining' });
    const timeoutMs = options.readinessTimeoutMs ?? 1_500;
    const results = await Promise.all(
      Object.entries(options.readinessChecks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          await Promise.race([check(), late]);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `down: ${(err as Error).message}`] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    // which dependency is down, and its error, is operations data: probes only need the status
    const checks = req.opsAccess
      ? { checks: Object.fromEntries(results), ...(options.degradation ? { degradation: degradationDetail(options.degradation) } : {}) }
      : {};
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', ...checks });
  });
  app.get('/metrics', { config: { opsData: true, probe: true, criticality: 'low' }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(options.metrics.registry.contentType);
    return options.metrics.exposition();
  });

  if (options.degradation) registerDegradationMetrics(options.metrics, options.degradation);
  registerOpsPage(app as unknown as FastifyInstance, options.metrics);

  for (const module of options.modules) {
    if (module.routes) await app.register(async (scope) => module.routes?.(scope));
  }
  return app;
}
