import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { runWithDeadline } from '../resilience/deadline.js';
import { runWithCallContext, traceIdOf } from '../telemetry/call-context.js';

export interface RequestDeadlineOptions {
  /** REQUEST_DEADLINE_MS: how long one request may spend on its dependencies, from its arrival */
  ms: number;
}

const scope = Symbol('floodgate.requestDeadlineScope');
type Scoped = FastifyRequest & { [scope]?: AsyncResource };

/**
 * Every request runs under one deadline (src/platform/resilience/deadline.ts), started on arrival: the
 * database pool caps each wait (for a connection, for a statement) to what is left of it, so a request
 * making several calls against a frozen database answers 503 once, at its deadline, instead of waiting
 * out a full deadline per call.
 *
 * The deadline rides on AsyncLocalStorage. The handler runs after the body was read from the socket's
 * stream events, whose async context is not ours to rely on (custom parsers, other Node versions); so the
 * context is captured as an AsyncResource on arrival and re-entered once the body is read (preValidation),
 * as @fastify/request-context does. request-deadline.test.ts checks a chunked body.
 *
 * Measured on Node 20 (BENCHMARKS.md, 2026-11-29 request pipeline): `enterWith` instead would save ~3 µs
 * of CPU per request, but it leaves the deadline on the caller's context after the answer (with
 * `app.inject`, the caller's own code: its later database calls failed once the deadline passed), so
 * it is not used. Most of the cost is Node 20's promise hooks, which any AsyncLocalStorage turns on
 * for every promise in the process; only passing the deadline down to the database explicitly (or
 * Node 22's AsyncContextFrame) removes that.
 */
export const requestDeadline = fp(
  async (app: FastifyInstance, { ms }: RequestDeadlineOptions) => {
    // a write the HTTP fast lane answers (fast-lane-writes.ts) runs in the same context, its deadline counted from arrival
    app.fastLane?.scope((requestId, traceparent, arrivedAt, work) =>
      runWithCallContext({ requestId, traceId: traceIdOf(traceparent) }, () => runWithDeadline(ms - (performance.now() - arrivedAt), work)),
    );
    app.addHook('onRequest', (req, _reply, done) => {
      // the request id and trace ride along, so calls to other services carry them (call-context.ts)
      runWithCallContext({ requestId: req.id, traceId: traceIdOf(req.headers.traceparent) }, () =>
        runWithDeadline(ms, () => {
          (req as Scoped)[scope] = new AsyncResource('floodgate-request-deadline');
          done();
        }),
      );
    });
    app.addHook('preValidation', (req, _reply, done) => {
      const resource = (req as Scoped)[scope];
      if (resource) resource.runInAsyncScope(done, req.raw);
      else done();
    });
  },
  { name: 'floodgate-request-deadline', fastify: '5.x', dependencies: [] },
);
