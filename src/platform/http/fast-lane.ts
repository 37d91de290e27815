import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory, FastifyServerOptions } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.js';
import { newRequestId } from '../ids.js';
import type { Principal } from '../auth/principal.js';

/**
 * An answer made from memory, synchronously: what the framework's route would have sent, byte for byte.
 * Made once per entry by `FastLane.prepare` (headers flattened, the common ones and the length included), so
 * a request only fills in its id.
 */
export interface FastAnswer {
  readonly status: number;
  /** name, value, name, value…; index 1 is the request id's slot */
  readonly head: readonly string[];
  readonly body: Buffer | undefined;
}

/**
 * Produces the answer for a request whose URL was seen before, or undefined to let the framework answer
 * (the entry is no longer fresh in memory, a header needs the route's own checks, ...).
 */
export type FastAnswerer = (headers: IncomingHttpHeaders) => FastAnswer | undefined;

/** a GET whose answer is made per request from memory (a flash-sale poll): undefined lets the framework answer */
export type FastRoute = (url: string, headers: IncomingHttpHeaders) => FastAnswer | undefined;

/**
 * Offered every request the lane did not answer, before the framework sees it: true when the gate answered it
 * (load-shedding.ts refuses a shed class here, ahead of routing, hooks and reply objects).
 */
export type LaneGate = (req: IncomingMessage, res: ServerResponse, url: string) => boolean;

export interface FastLane {
  /**
   * The framework just answered `url` (a GET that passed the route's validation) from an entry that can be
   * answered again from memory: later GETs of exactly this URL are offered to `answer` first. Bounded by
   * count (least recently used go first); an unknown URL is never remembered, so no query string can add
   * entries without first being a valid request.
   */
  remember(url: string, route: string, answer: FastAnswerer): void;
  /**
   * GETs whose URL starts with `prefix` are offered to `answer` (after the remembered URLs). For routes whose
   * answers are per caller and cheap to make from memory; `route` is the template the metrics name.
   */
  route(prefix: string, route: string, answer: FastRoute): void;
  /**
   * The caller named by a bearer token this process has verified before and still trusts (signature
   * remembered, claims valid, not revoked), else undefined: the framework's auth then decides.
   */
  principal(headers: IncomingHttpHeaders): Principal | undefined;
  /** an answer with the route's own headers (lower-case names): keep it beside the entry it was made from */
  prepare(status: number, headers: Readonly<Record<string, string>>, body: Buffer | undefined): FastAnswer;
  /** the gate every request the lane does not answer meets before the framework (one gate: a later call replaces it) */
  gate(gate: LaneGate): void;
  /**
   * Sends an answer made for this one request, whose body names the request id (a refusal's problem+json): with
   * the common headers and the request id, counted in the HTTP duration metric under `route`.
   */
  answer(req: IncomingMessage, res: ServerResponse, route: string, status: number, headers: Readonly<Record<string, string>>, body: (requestId: string) => string): void;
  /** true when the lane (or its gate) answered (the response is sent); false to let the framework handle the request */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** remembered URLs (for tests and /ops) */
  size(): number;
}

export interface FastLaneOptions {
  metrics: Metrics;
  logger: Logger;
  /** headers every answer carries (security-headers.ts) */
  commonHeaders: Readonly<Record<string, string>>;
  /** while true, the framework answers (it adds `Connection: close`, drain-connections.ts) */
  isDraining?: () => boolean;
  /** a remembered bearer token's principal (jwt-verifier's peek), when this process verifies tokens itself */
  peekPrincipal?: (bearer: string) => Principal | undefined;
  /** URLs remembered at most */
  maxUrls?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * A lane in front of the framework for anonymous answers that are already bytes in memory (rendered catalog
 * pages): the framework's per-request pipeline (routing, hooks, reply objects, serialisation) costs several
 * times what such an answer needs, so a hot product page paid for the pipeline, not for its content
 * (BENCHMARKS.md: /healthz alone cost 3.9× a hello world). A remembered URL is answered here with the same
 * status, headers and body the route sends — security headers, request id, ETag/304, negotiated coding — and
 * the same duration metric; anything else (other methods, unseen URLs, entries that went stale, requests that
 * need the route's checks) goes to the framework unchanged. Not shed under overload: an answer from memory
 * costs less than the refusal would. Success lines are logged at debug only, so the lane steps aside while
 * debug logging is on. What the lane does not answer meets its gate (load-shedding.ts) before the framework:
 * a request of a class being shed is refused there.
 */
export function createFastLane({ metrics, logger, commonHeaders, isDraining, peekPrincipal, maxUrls = 10_000 }: FastLaneOptions): FastLane {
  const remembered = new LRUCache<string, { route: string; answer: FastAnswerer }>({ max: maxUrls });
  const routes: Array<{ prefix: string; route: string; answer: FastRoute }> = [];
  const answered = metrics.counter('floodgate_http_fast_lane_answers_total', 'Answers sent from memory ahead of the framework (fast-lane.ts), by route template', ['route']);
  // the answer count is a tally per route (metrics.ts); the duration goes where the framework's answers go
  const countAnswer = metrics.tallyPer(answered, (route: string) => ({ route }));
  const prefix = ['x-request-id', '', ...Object.entries(commonHeaders).flat()];
  const flattened = new WeakMap<object, string[]>();
  let gate: LaneGate | undefined;

  const requestIdOf = (req: IncomingMessage) => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId();
  };
  const prepare = (status: number, headers: Readonly<Record<string, string>>, body: Buffer | undefined): FastAnswer => {
    // a route passes the same headers object for every answer of a kind (a poll's): flattened once
    let own = flattened.get(headers);
    if (!own) flattened.set(headers, (own = Object.entries(headers).flat()));
    const head = prefix.concat(own);
    if (body) head.push('content-length', String(body.length));
    return { status, head, body };
  };
  const send = (res: ServerResponse, route: string, method: string, answer: FastAnswer, requestId: string, started: number) => {
    const head = answer.head.slice();
    head[1] = requestId;
    // the flat form: Node writes it as given, without building a header object per answer
    res.writeHead(answer.status, head);
    res.end(answer.body);
    metrics.observeHttp(route, method, answer.status, (performance.now() - started) / 1000);
    countAnswer(route);
  };

  return {
    prepare,
    gate(next) {
      gate = next;
    },
    answer(req, res, route, status, headers, body) {
      const started = performance.now();
      const requestId = requestIdOf(req);
      send(res, route, req.method ?? 'GET', prepare(status, headers, Buffer.from(body(requestId))), requestId, started);
    },
    remember(url, route, answer) {
      if (!remembered.has(url)) remembered.set(url, { route, answer });
    },
    route(prefix, route, answer) {
      routes.push({ prefix, route, answer });
    },
    principal(headers) {
      const header = headers.authorization;
      if (!peekPrincipal || header === undefined || !header.startsWith('Bearer ')) return undefined;
      return peekPrincipal(header.slice(7).trim());
    },
    size: () => remembered.size,
    handle(req, res) {
      const url = req.url;
      if (url === undefined) return false;
      if (req.method !== 'GET') return gate !== undefined && !isDraining?.() && gate(req, res, url);
      const started = performance.now();
      let route: string | undefined;
      let answer: FastAnswer | undefined;
      const entry = remembered.size > 0 ? remembered.get(url) : undefined;
      if (entry) {
        route = entry.route;
        if (isDraining?.() || logger.isLevelEnabled('debug')) return false;
        answer = entry.answer(req.headers);
      } else {
        for (const candidate of routes) {
          if (!url.startsWith(candidate.prefix)) continue;
          if (isDraining?.() || logger.isLevelEnabled('debug')) return false;
          route = candidate.route;
          answer = candidate.answer(url, req.headers);
          break;
        }
      }
      // while draining, the framework answers everything (it adds Connection: close)
      if (!answer || !route) return gate !== undefined && !isDraining?.() && gate(req, res, url);
      send(res, route, 'GET', answer, requestIdOf(req), started);
      return true;
    },
  };
}

/**
 * Fastify's `serverFactory` for an HTTP/1 server whose requests meet the lane first. It applies the
 * socket timeouts Fastify applies to the server it creates itself (fastify/lib/server.js).
 */
export function fastLaneServerFactory(lane: FastLane, options: Pick<FastifyServerOptions, 'keepAliveTimeout' | 'requestTimeout' | 'connectionTimeout'> & { http?: ServerOptions | null }): FastifyServerFactory {
  return (handler) => {
    const server: Server = createServer(options.http ?? {}, (req, res) => {
      if (!lane.handle(req, res)) handler(req, res);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}
