import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { AdmissionController } from '../overload/admission-controller.js';
import { DEFAULT_CRITICALITY, type Criticality } from '../overload/criticality.js';
import type { EventLoopSampler } from '../overload/event-loop-signals.js';
import type { Metrics } from '../telemetry/metrics.js';
import { AppError } from './app-error.js';
import { problemBody, sendProblem } from './problem-details.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what is shed first when the process is overloaded (overload/criticality.ts); `normal` when absent */
    criticality?: Criticality;
  }
}

export interface LoadSheddingOptions {
  controller: AdmissionController;
  /** measures the signals each `sampleIntervalMs`; absent: the caller ticks the controller (tests) */
  sampler?: EventLoopSampler;
  sampleIntervalMs?: number;
  metrics: Metrics;
}

export const OverloadErrors = {
  overloaded: (retryAfterSeconds: number) =>
    new AppError('OVERLOADED', 'unavailable', `The shop is too busy to serve this request right now; retry after ${retryAfterSeconds} s`, { retryAfterSeconds }),
};

// routes added by third-party plugins (the docs UI) cannot carry a config: their criticality comes from the path
const LOW_PREFIXES = ['/docs', '/ops'];
const released = Symbol('floodgate.admissionRelease');
const refused = Symbol('floodgate.shed');
type Admitted = FastifyRequest & { [released]?: () => void; [refused]?: true };
/** the admission a request was given by the lane's gate, before the framework saw it */
const admittedAhead = Symbol('floodgate.admittedAhead');
type AdmittedAhead = IncomingMessage & { [admittedAhead]?: () => void };
/** what the gate's router holds per route */
interface RouteClass {
  criticality: Criticality;
  route: string;
}
/**
 * The gate's refusal per Retry-After, made once: its fixed headers (the lane flattens each object once) and its
 * error (an Error captures a stack when made: ~5 % of a refusal's CPU when made per request).
 */
const refusals = new Map<number, { headers: Readonly<Record<string, string>>; error: AppError }>();
const refusalFor = (retryAfterSeconds: number) => {
  let refusal = refusals.get(retryAfterSeconds);
  if (!refusal) {
    refusal = { headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/problem+json; charset=utf-8' }, error: OverloadErrors.overloaded(retryAfterSeconds) };
    refusals.set(retryAfterSeconds, refusal);
  }
  return refusal;
};

/**
 * Whether this request was answered 503 by shedding. The request log writes no line for it: under overload
 * that is thousands of warn lines a second, each costing the process what shedding saves (the shed counter
 * and the one line per change of what is shed say it instead).
 */
export const wasShed = (req: FastifyRequest): boolean => (req as Admitted)[refused] === true;

/**
 * Priority load shedding, before any other work of a request (first onRequest hook: no body read, no
 * token checked, no query): when the admission controller refuses the route's class, the answer is a 503
 * problem+json `OVERLOADED` with Retry-After. A request once admitted is never shed later.
 */
export const loadShedding = fp(
  async (app: FastifyInstance, { controller, sampler, sampleIntervalMs = 250, metrics }: LoadSheddingOptions) => {
    const shed = metrics.counter('floodgate_shed_requests_total', 'Requests refused with 503 OVERLOADED before any work, by route criticality (priority) and reason', ['priority', 'reason']);
    metrics.gauge('floodgate_admission_concurrency_limit', 'The adaptive in-flight request limit of this process', [], function collect() {
      this.set(controller.state().limit);
    });
    metrics.gauge('floodgate_admission_in_flight', 'Requests admitted and not yet answered', [], function collect() {
      this.set(controller.state().inFlight);
    });
    metrics.gauge('floodgate_admission_event_loop_delay_seconds', 'The smoothed event-loop delay the admission controller acts on', [], function collect() {
      this.set(controller.state().delayMs / 1000);
    });
    metrics.gauge('floodgate_admission_latency_shed_classes', 'How many route classes, from the lowest, are shed because requests wait too long in the process (0-3)', [], function collect() {
      this.set(controller.state().shedByLatency.length);
    });

    // The lane's gate (fast-lane.ts): with real HTTP, a request meets admission before Fastify parses, routes or
    // hooks it, and a refusal is written there, several times cheaper than through the framework. Under overload the
    // refusals are most of the requests and they wait in the event loop's queue behind each other: what each costs is
    // what the next waits (bench:overload's shed probe). Its router holds every route declared after this plugin,
    // with the class the hook below gives it; a URL it does not know (a 404, a route declared before) goes on to the
    // framework, which admits it in the hook below.
    const lane = app.fastLane;
    const router = lane ? FindMyWay({ maxParamLength: 2048 }) : undefined;

    app.addHook('onRoute', (route) => {
      if (!route.config?.criticality) {
        const low = LOW_PREFIXES.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`));
        route.config = { ...(route.config ?? {}), criticality: low ? 'low' : DEFAULT_CRITICALITY };
      }
      const store: RouteClass = { criticality: route.config.criticality ?? DEFAULT_CRITICALITY, route: route.url };
      try {
        router?.on(route.method as HTTPMethod | HTTPMethod[], route.url, () => {}, store);
      } catch {
        // a route the gate's router cannot hold (a constraint, a shape it refuses): the framework admits it
      }
    });

    if (lane && router) {
      lane.gate((req, res, url) => {
        const query = url.indexOf('?');
        const found = router.find(req.method as HTTPMethod, query === -1 ? url : url.slice(0, query));
        if (!found) return false;
        const { criticality, route } = found.store as RouteClass;
        const admission = controller.admit(criticality);
        if (admission.admitted) {
          (req as AdmittedAhead)[admittedAhead] = admission.release;
          // released by the hooks below when the framework answers; this catches a request the framework ends
          // without them (the release counts once)
          res.once('close', admission.release);
          return false;
        }
        shed.inc({ priority: criticality, reason: admission.reason });
        const { headers, error } = refusalFor(admission.retryAfterSeconds);
        lane.answer(req, res, route, 503, headers, (requestId) => JSON.stringify(problemBody(error, { url, id: requestId })));
        return true;
      });
    }

    app.addHook('onRequest', (req, reply, done) => {
      const ahead = (req.raw as AdmittedAhead)[admittedAhead];
      if (ahead) {
        (req as Admitted)[released] = ahead;
        done();
        return;
      }
      const criticality = req.routeOptions.config?.criticality ?? DEFAULT_CRITICALITY;
      const admission = controller.admit(criticality);
      if (!admission.admitted) {
        shed.inc({ priority: criticality, reason: admission.reason });
        (req as Admitted)[refused] = true;
        sendProblem(reply, req, OverloadErrors.overloaded(admission.retryAfterSeconds));
        return;
      }
      (req as Admitted)[released] = admission.release;
      done();
    });
    const release = (req: FastifyRequest) => (req as Admitted)[released]?.();
    // callback-style: an async hook costs a promise per request
    app.addHook('onResponse', (req, _reply, done) => {
      release(req);
      done();
    });
    app.addHook('onRequestAbort', (req, done) => {
      release(req);
      done();
    });

    if (sampler) {
      // a change of what latency sheds is logged once, not per refused request
      let shedForLatency = '';
      const timer = setInterval(() => {
        controller.tick(sampler.sample());
        const state = controller.state();
        const now = state.shedByLatency.join(',');
        if (now !== shedForLatency) {
          app.log.warn({ shed: state.shedByLatency, late: state.lateClasses, inFlight: state.inFlight }, now ? 'load shedding for latency: these classes are refused' : 'load shedding for latency ended');
          shedForLatency = now;
        }
      }, sampleIntervalMs);
      timer.unref();
      app.addHook('onClose', async () => {
        clearInterval(timer);
        sampler.stop();
      });
    }
  },
  { name: 'floodgate-load-shedding', fastify: '5.x' },
);
