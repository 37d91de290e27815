import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory, FastifyServerOptions } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.js';
import { newRequestId } from '../ids.js';
import type { Principal } from '../auth/principal.js';
import { handOver, laneCoding, laneEncode, laneMayRead, readLaneBody, type FastWrite, type FastWriteResult, type LaneLimits, type LaneObserver, type LaneScope } from './fast-lane-writes.js';
import { problemBody, statusOf, unexpectedError } from './problem-details.js';

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
  /**
   * POSTs whose URL starts with `prefix` are offered to `answer` (fast-lane-writes.ts): a write the lane takes is
   * admitted by the gate, counted against `limits` by the lane's limiter, run in the lane's scope and logged by
   * its observer, as the framework would; its route must carry `preParsing: replayLaneBody`, which gives the
   * framework the body of a request the lane read and then left to it.
   */
  write(prefix: string, route: string, limits: readonly string[], answer: FastWrite, options?: { compress?: boolean }): void;
  /** counts a write's rate limits (rate-limiting.ts); without one, writes are not counted, as routes are not */
  limits(limiter: LaneLimits): void;
  /** the context a write's work runs in (request-deadline.ts) */
  scope(scope: LaneScope): void;
  /** told each write's answer, for its request line (request-log.ts) */
  observe(observer: LaneObserver): void;
  /**
   * true when the lane (or its gate) answered or took the request (its answer follows); false to let the framework
   * handle it. `framework` is how a write the lane read is handed over.
   */
  handle(req: IncomingMessage, res: ServerResponse, framework?: (req: IncomingMessage, res: ServerResponse) => void): boolean;
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
 * a request of a class being shed is refused there. Plain POSTs a route registers (`write`: an add to cart) are
 * run here too, through the same gate, rate limits, deadline and request lines as the framework's
 * (fast-lane-writes.ts): the pipeline cost more than the write's own work.
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
  const writes: Array<{ prefix: string; route: string; limits: readonly string[]; answer: FastWrite; compress?: boolean }> = [];
  let limiter: LaneLimits | undefined;
  let scope: LaneScope = (_id, _trace, _at, work) => work();
  let observer: LaneObserver | undefined;

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

  // GETs answered from memory during one turn of the event loop are written together when the turn has read every
  // socket it was given (setImmediate runs right after that). Written one by one, each answer of a shop slower than
  // its clients woke a client that had gone back to waiting, and that wake-up ran in the shop's time: 7.4 µs of
  // kernel time per answer against 0.9 for a fast server (BENCHMARKS.md, 2026-12-01 03:20). Written together, the
  // first wakes the client and the others find it awake: −14 % CPU per waiting-room poll, 6 of 6 slice pairs
  // (BENCHMARKS.md, entry "2026-12-02 (10:42–12:10 UTC)"). An answer waits at most for the rest of its turn's reads.
  // Writes (POSTs) are answered after an await, when their turn is already another's, and showed no gain: they are
  // sent at once.
  let batch: Array<{ res: ServerResponse; route: string; answer: FastAnswer; requestId: string; started: number }> = [];
  const writeBatch = () => {
    const due = batch;
    batch = [];
    // in arrival order: two pipelined requests of one connection are answered in the order they came
    for (const { res, route, answer, requestId, started } of due) {
      try {
        send(res, route, 'GET', answer, requestId, started);
      } catch (err) {
        // an answer Node refuses to write (a header it finds invalid) costs its own connection, not the turn's others
        logger.error({ err, route, reqId: requestId }, 'fast lane answer could not be written; its connection is closed');
        res.destroy();
      }
    }
  };
  const sendAtTurnEnd = (res: ServerResponse, route: string, answer: FastAnswer, requestId: string, started: number) => {
    if (batch.length === 0) setImmediate(writeBatch);
    batch.push({ res, route, answer, requestId, started });
  };

  const principalOf = (headers: IncomingHttpHeaders) => {
    const header = headers.authorization;
    if (!peekPrincipal || header === undefined || !header.startsWith('Bearer ')) return undefined;
    return peekPrincipal(header.slice(7).trim());
  };

  /** the answer to a write the lane took, with the headers the framework would add (rate limits, no-store) */
  const sendWrite = (req: IncomingMessage, res: ServerResponse, route: string, coding: 'br' | 'gzip' | null, requestId: string, started: number, limitHeaders: Record<string, string>, result: FastWriteResult) => {
    if (res.destroyed) return;
    let status: number;
    let headers: Record<string, string>;
    let body: string;
    let code: string | undefined;
    if ('error' in result) {
      const { error } = result;
      status = statusOf(error.kind);
      code = error.code;
      const retry = error.details.retryAfterSeconds;
      headers = { ...limitHeaders, ...(retry !== undefined ? { 'retry-after': String(retry) } : {}), 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' };
      body = JSON.stringify(problemBody(error, { url: req.url ?? '', id: requestId }));
    } else {
      ({ status, body } = result);
      headers = { ...limitHeaders, ...result.headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    }
    const encoded = laneEncode(Buffer.from(body), coding);
    send(res, route, 'POST', prepare(status, { ...headers, ...encoded.headers }, encoded.body), requestId, started);
    observer?.(route, 'POST', status, performance.now() - started, code, requestId);
  };

  /** the write that takes this URL, and what it does with the body */
  const writeFor = (url: string, headers: IncomingHttpHeaders) => {
    for (const write of writes) {
      if (!url.startsWith(write.prefix)) continue;
      const forBody = write.answer(url, headers);
      if (forBody) return { write, forBody };
    }
    return undefined;
  };

  /** reads, checks, counts and runs a write the lane may take; anything it does not take goes to the framework */
  const takeWrite = (req: IncomingMessage, res: ServerResponse, url: string, framework: (req: IncomingMessage, res: ServerResponse) => void): boolean => {
    // the URL first: every other POST (checkout, login, a join) leaves after a prefix comparison or two
    const found = writeFor(url, req.headers);
    if (!found || isDraining?.() || logger.isLevelEnabled('debug') || !laneMayRead(req.headers)) return false;
    const { write, forBody } = found;
    // the framework compresses a write's answer over 1 KiB for a client that accepts it (response-compression.ts)
    const coding = write.compress === false ? null : laneCoding(req.headers);
    if (coding === undefined) return false;
    const principal = principalOf(req.headers);
    if (!principal) return false;
    const started = performance.now();
    // admitted (or shed) by the gate as the framework's requests are
    if (gate?.(req, res, url)) return true;
    readLaneBody(req, res, (bytes) => {
      const toFramework = () => handOver(req, res, bytes, framework);
      let work: (() => Promise<FastWriteResult>) | undefined;
      let counted: ReturnType<LaneLimits>;
      try {
        work = forBody(JSON.parse(bytes.toString('utf8')), principal);
        if (!work) return toFramework();
        counted = limiter && write.limits.length > 0 ? limiter(write.limits, principal) : {};
      } catch {
        // not JSON (the route's parser names the body), or a check of the lane's own failed: the route answers
        return toFramework();
      }
      const run = (limitHeaders: Record<string, string> | undefined) => {
        if (!limitHeaders) return toFramework();
        const requestId = requestIdOf(req);
        const traceparent = req.headers.traceparent;
        const log = () => logger.child({ reqId: requestId });
        scope(requestId, typeof traceparent === 'string' ? traceparent : undefined, started, work)
          .then(
            (result) => sendWrite(req, res, write.route, coding, requestId, started, limitHeaders, result),
            (err: unknown) => sendWrite(req, res, write.route, coding, requestId, started, limitHeaders, { error: unexpectedError(err, log(), write.route) }),
          )
          .catch((err: unknown) => {
            // the answer itself could not be made: the connection is closed rather than left waiting
            log().error({ err }, 'fast lane answer failed');
            res.destroy();
          });
      };
      if (counted instanceof Promise) counted.then(run, toFramework);
      else run(counted);
    });
    return true;
  };

  return {
    prepare,
    gate(next) {
      gate = next;
    },
    write(prefix, route, limits, answer, options = {}) {
      writes.push({ prefix, route, limits, answer, ...options });
    },
    limits(next) {
      limiter = next;
    },
    scope(next) {
      scope = next;
    },
    observe(next) {
      observer = next;
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
    principal: principalOf,
    size: () => remembered.size,
    handle(req, res, framework) {
      const url = req.url;
      if (url === undefined) return false;
      if (req.method === 'POST' && writes.length > 0 && framework && takeWrite(req, res, url, framework)) return true;
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
      sendAtTurnEnd(res, route, answer, requestIdOf(req), started);
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
      if (!lane.handle(req, res, handler)) handler(req, res);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}
