import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AdmissionController } from '../overload/admission-controller.js';
import { DEFAULT_CRITICALITY, type Criticality } from '../overload/criticality.js';
import type { EventLoopSampler } from '../overload/event-loop-signals.js';
import type { Metrics } from '../telemetry/metrics.js';
import { AppError } from './app-error.js';
import { sendProblem } from './problem-details.js';

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

    app.addHook('onRoute', (route) => {
      if (route.config?.criticality) return;
      const low = LOW_PREFIXES.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`));
      route.config = { ...(route.config ?? {}), criticality: low ? 'low' : DEFAULT_CRITICALITY };
    });

    app.addHook('onRequest', (req, reply, done) => {
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
