import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.js';
import { createLineFolder } from './line-folding.js';
import { wasShed } from './load-shedding.js';
import { rejectionCodeOf } from './problem-details.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a probe or scrape (/healthz, /readyz, /metrics): its answers are logged only when they fail */
    probe?: boolean;
  }
}

export interface RequestLogOptions {
  metrics: Metrics;
  /** LOG_SLOW_REQUEST_MS: a request that took longer is logged at warn whatever its answer */
  slowMs: number;
  /**
   * LOG_REPEATS_PER_SECOND: info and warn request lines written per second for one method, route template, status
   * and level; the rest of that second's are counted and reported in one `request lines folded` line. 0 writes
   * every line. Debug lines (successes) are never folded: whoever turns debug on wants them all.
   */
  repeatsPerSecond?: number;
  /** the folding's clock (tests) */
  now?: () => number;
}

type Level = 'debug' | 'info' | 'warn';
/** what a folding key stands for, reported as the folded line's fields */
type Subject = { level: Level; route: string; method: string; status: number; code: string | undefined };
const REPORT_EVERY_MS = 1_000;

/** The level of a request's line, or undefined for none. */
export function requestLogLevel(status: number, durationMs: number, slowMs: number, probe: boolean): 'debug' | 'info' | 'warn' | undefined {
  if (status >= 500 || durationMs >= slowMs) return 'warn';
  if (status >= 400) return 'info';
  // a successful probe or scrape every few seconds is noise at any level (issue 12)
  return probe ? undefined : 'debug';
}

/**
 * One line per request (route, method, status, duration) and the duration histogram. A served
 * request is logged at debug: at info every request, probes included, was 2.5 MB per 13k requests
 * and ~12 % of a /healthz request's CPU in writev. What an operator needs at info still is: 4xx
 * answers at info, 5xx answers and slow requests at warn. The line goes through the logger's
 * redaction like any other.
 */
export const requestLog = fp(
  async (app: FastifyInstance, { metrics, slowMs, repeatsPerSecond = 0, now }: RequestLogOptions) => {
    const folder = repeatsPerSecond > 0 ? createLineFolder<Subject>({ perWindow: repeatsPerSecond, windowMs: 1_000, ...(now ? { now } : {}) }) : undefined;
    const report = (all: boolean) => {
      for (const { subject: { level, route, method, status, code }, folded, sinceMs } of folder?.takeFolded(all) ?? []) {
        app.log[level]({ route, method, status, ...(code ? { code } : {}), folded, windowStartedAt: new Date(sinceMs).toISOString() }, 'request lines folded');
      }
    };
    if (folder) {
      const timer = setInterval(() => report(false), REPORT_EVERY_MS).unref();
      app.addHook('onClose', (_app, done) => {
        clearInterval(timer);
        report(true);
        done();
      });
    }

    // callback-style: an async hook costs a promise per request
    app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const elapsed = reply.elapsedTime;
      const status = reply.statusCode;
      metrics.observeHttp(route, req.method, status, elapsed / 1000);
      // a shed answer is counted (floodgate_shed_requests_total), not logged one by one: see wasShed
      const level = wasShed(req) ? undefined : requestLogLevel(status, elapsed, slowMs, req.routeOptions.config?.probe === true);
      // asked first, so a line below the level costs no object
      const log = req.log as unknown as Logger;
      // a refusal names its catalogue code (problem-details.ts): lines alike are those of one code too
      if (level && log.isLevelEnabled(level)) writeLine(log, level, route, req.method, status, elapsed, status >= 400 ? rejectionCodeOf(req) : undefined);
      done();
    });

    // the answers of the HTTP fast lane's writes (fast-lane-writes.ts), whose duration it observes itself
    app.fastLane?.observe((route, method, status, durationMs, code, requestId) => {
      const level = requestLogLevel(status, durationMs, slowMs, false);
      const log = app.log as unknown as Logger;
      if (level && log.isLevelEnabled(level)) writeLine(log, level, route, method, status, durationMs, code, requestId);
    });

    /** one request's line at a level the logger writes, unless folded with its like */
    function writeLine(log: Logger, level: Level, route: string, method: string, status: number, durationMs: number, code: string | undefined, reqId?: string) {
      if (admitted(level, method, route, status, code)) {
        log[level]({ ...(reqId ? { reqId } : {}), route, method, status, ...(code ? { code } : {}), durationMs: Math.round(durationMs * 10) / 10 }, 'request');
      }
    }

    function admitted(level: Level, method: string, route: string, status: number, code: string | undefined): boolean {
      if (!folder || level === 'debug') return true;
      return folder.admit(`${level} ${method} ${route} ${status} ${code ?? ''}`, { level, route, method, status, code });
    }
  },
  { name: 'floodgate-request-log', fastify: '5.x' },
);
