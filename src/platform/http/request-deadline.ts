import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { enterDeadline, reenterDeadline, type Deadline } from '../resilience/deadline.js';

export interface RequestDeadlineOptions {
  /** REQUEST_DEADLINE_MS: how long one request may spend on its dependencies, from its arrival */
  ms: number;
}

const kDeadline = Symbol('floodgate.requestDeadline');
type WithDeadline = FastifyRequest & { [kDeadline]?: Deadline };

/**
 * Every request runs under one deadline (src/platform/resilience/deadline.ts), started on arrival: the
 * database pool caps each wait (for a connection, for a statement) to what is left of it, so a request
 * making several calls against a frozen database answers 503 once, at its deadline, instead of waiting
 * out a full deadline per call.
 *
 * The deadline rides on AsyncLocalStorage, entered with `enterWith` on arrival (every later hook and the
 * handler inherit it) and entered again once the body is read (preValidation): the body arrives through
 * the socket's stream events, whose async context is the connection's, not this request's.
 * request-deadline.test.ts checks a chunked body.
 *
 * Why `enterWith` and not `run` + an AsyncResource re-entered later (as @fastify/request-context does):
 * on Node 20 the latter measured ~3 µs more CPU per request (BENCHMARKS.md, 2026-11-29 request pipeline).
 * The cost that remains, promise hooks for the whole process (~5 µs per request), comes with any use of
 * AsyncLocalStorage on Node 20; only carrying the deadline explicitly down to the database would remove it.
 * `enterWith` leaves the deadline on the connection's context after the answer; the next request on that
 * connection enters its own before anything else runs (this plugin registers first), and a deadline
 * entered here never nests in one found there.
 */
export const requestDeadline = fp(
  async (app: FastifyInstance, { ms }: RequestDeadlineOptions) => {
    app.addHook('onRequest', (req, _reply, done) => {
      (req as WithDeadline)[kDeadline] = enterDeadline(ms);
      done();
    });
    app.addHook('preValidation', (req, _reply, done) => {
      const deadline = (req as WithDeadline)[kDeadline];
      if (deadline) reenterDeadline(deadline);
      done();
    });
  },
  { name: 'floodgate-request-deadline', fastify: '5.x', dependencies: [] },
);
