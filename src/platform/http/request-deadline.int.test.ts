import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../../../test/support/private-postgres.js';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { createPostgresDatabase, type Database } from '../db/database.js';
import { remainingMs, runWithDeadline } from '../resilience/deadline.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { HttpApp } from '../service.js';
import { createHttpApp } from './create-http-app.js';

const QUERY_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 1_000;
// longer than one statement's own read timeout, so the test tells "the request gave up on the database
// after its first timeout" apart from "each call waited until the deadline"
const REQUEST_DEADLINE_MS = 5_000;
// a route whose deadline is shorter than one statement's read timeout: the statement's wait is cut to it
const TIGHT_DEADLINE_MS = 1_200;
// scheduling slack on a busy 2-core machine
const MARGIN_MS = 750;
// what one statement may wait without a request around it: its deadline plus pg's 1 s grace (database.ts)
const OWN_READ_TIMEOUT_MS = QUERY_TIMEOUT_MS + 1_000;

const call = async (url: string, init?: RequestInit) => {
  const started = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), body, ms: performance.now() - started };
};

describe.skipIf(!privatePostgresAvailable())('request deadline across several database calls (private PostgreSQL)', () => {
  let server: PrivatePostgres;
  let db: Database;
  let app: HttpApp;
  let base: string;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = await createPostgresDatabase({ connectionString: server.url, maxConnections: 10, queryTimeoutMs: QUERY_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS, pingTimeoutMs: 500 });
    // three calls, each its own pool checkout, each attempted even when one before it failed: a step and
    // its compensations (checkout releasing the hold it took when recording the order fails) are just that
    const threeQueries = async () => {
      const rows: number[] = [];
      let failure: unknown;
      for (let i = 1; i <= 3; i++) {
        try {
          rows.push((await sql<{ n: number }>`select ${i}::int as n`.execute(db.kysely)).rows[0]!.n);
        } catch (err) {
          failure ??= err;
        }
      }
      if (failure) throw failure;
      return { rows };
    };
    app = await createHttpApp({
      logger: createLogger({ service: 'deadline-test', level: 'silent', pretty: false }),
      metrics: createMetrics('deadline_test'),
      authenticate: async () => null,
      readinessChecks: { database: () => db.ping() },
      requestDeadlineMs: REQUEST_DEADLINE_MS,
      modules: [
        {
          name: 'things',
          client: {},
          routes: (a) => {
            a.get('/v1/three', threeQueries);
            // a body is read from the socket's stream events: the deadline must survive the body parser
            a.post('/v1/deadline', async () => ({ remainingMs: remainingMs() }));
            a.get('/v1/deadline', async () => ({ remainingMs: remainingMs() }));
            a.get('/v1/three-tight', async () => runWithDeadline(TIGHT_DEADLINE_MS, threeQueries));
            // a call made with no time left never reaches the server
            a.get('/v1/out-of-time', async () => runWithDeadline(0, async () => (await sql`select 1`.execute(db.kysely)).rows));
          },
        },
      ],
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.thaw();
    await app?.close();
    await db?.close();
    await server?.[Symbol.asyncDispose]();
  });

  const expectUnavailable = (answer: Awaited<ReturnType<typeof call>>) => {
    expect(answer.status).toBe(503);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.retryAfter).toBeTruthy();
    expect(answer.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  };

  it('when a request arrives, with or without a body, then its handler runs under the configured deadline', async () => {
    // 48 KiB arrives in several chunks: the handler runs from the body stream's events
    const posted = await call(`${base}/v1/deadline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x'.repeat(48 * 1024) }) });
    const got = await call(`${base}/v1/deadline`);
    for (const answer of [posted, got]) {
      expect(answer.status).toBe(200);
      expect(answer.body.remainingMs).toBeGreaterThan(REQUEST_DEADLINE_MS - 1_000);
      expect(answer.body.remainingMs).toBeLessThanOrEqual(REQUEST_DEADLINE_MS);
    }
  });

  it('when a call starts with no time left, then it fails at once with 503 and Retry-After, and the server is not asked', async () => {
    const answer = await call(`${base}/v1/out-of-time`);
    expectUnavailable(answer);
    expect(answer.ms).toBeLessThan(MARGIN_MS);
    expect((await call(`${base}/v1/three`)).body).toEqual({ rows: [1, 2, 3] });
  });

  it('when the server is frozen under requests making 3 sequential queries, then each answers 503 once its first wait ends (cut to the request deadline), not once per query, and work outside a request keeps its own statement deadline', { timeout: 30_000 }, async () => {
    // warm the pool, so every query of a request finds an idle connection and waits on the frozen server
    // itself (the path that used to cost a full statement deadline per query)
    // (8 statements that overlap open 8 connections)
    await Promise.all(Array.from({ length: 8 }, () => sql`select pg_sleep(0.1)`.execute(db.kysely)));
    expect(db.poolStats().idle).toBeGreaterThanOrEqual(8);
    await server.freeze();

    // one request alone: no other failures open the connect breaker for it, so only the request's own
    // memory of the first timeout keeps its next two queries from waiting on idle connections again
    const outsideStarted = performance.now();
    const outside = sql`select 1`.execute(db.kysely).then(() => undefined, (err: unknown) => err).then((error) => ({ error, ms: performance.now() - outsideStarted }));
    const [alone, tight] = await Promise.all([call(`${base}/v1/three`), call(`${base}/v1/three-tight`)]);
    const { error: outsideError, ms: outsideMs } = await outside;
    // and a few together, once the breaker may have opened too
    const answers = [alone!, ...(await Promise.all([call(`${base}/v1/three`), call(`${base}/v1/three`)]))];

    for (const answer of [tight!, ...answers]) expectUnavailable(answer);
    const slowest = Math.max(...answers.map((a) => a.ms));
    console.info(`[figures] frozen server, 3 sequential queries per request: 503 after ${answers.map((a) => Math.round(a.ms)).join(' / ')} ms (one statement's read timeout ${OWN_READ_TIMEOUT_MS} ms, then fail fast; per-query deadlines would sum to ${3 * OWN_READ_TIMEOUT_MS} ms); with a ${TIGHT_DEADLINE_MS} ms deadline 503 after ${Math.round(tight!.ms)} ms; a query outside any request failed after ${Math.round(outsideMs)} ms`);
    // the first statement waited its read timeout; the request then knew the database was gone and did not wait again
    expect(slowest).toBeLessThan(OWN_READ_TIMEOUT_MS + MARGIN_MS);
    // a deadline shorter than a statement's read timeout cuts the statement's wait
    expect(tight!.ms).toBeLessThan(TIGHT_DEADLINE_MS + MARGIN_MS);
    // a background statement is not cut to anyone's request: it waited its own read timeout
    expect(isDatabaseUnavailable(outsideError)).toBe(true);
    expect(outsideMs).toBeGreaterThanOrEqual(OWN_READ_TIMEOUT_MS - 50);

    await server.thaw();
    await expect.poll(async () => (await call(`${base}/v1/three`).catch(() => ({ status: 0 }))).status, { timeout: 15_000, interval: 100 }).toBe(200);
  });
});
