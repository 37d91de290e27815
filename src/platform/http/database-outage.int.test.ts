import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../../../test/support/private-postgres.js';
import { createPostgresDatabase, type Database } from '../db/database.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { HttpApp } from '../service.js';
import { createHttpApp } from './create-http-app.js';

const QUERY_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 1_000;
const PING_TIMEOUT_MS = 500;
// the longest an answer may take while the database is frozen: a query's deadline plus its 1 s grace, plus a pool wait
const ANSWER_BOUND_MS = QUERY_TIMEOUT_MS + 1_000 + CONNECT_TIMEOUT_MS + 500;

const timed = async (url: string) => {
  const started = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), body, ms: performance.now() - started };
};

/** ms until `probe` gives `want`, polled every 50 ms */
async function msUntil(probe: () => Promise<number>, want: number, timeoutMs = 15_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await probe().catch(() => 0)) === want) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${want} within ${timeoutMs} ms`);
}

describe.skipIf(!privatePostgresAvailable())('HTTP while the database is down (private PostgreSQL)', () => {
  let server: PrivatePostgres;
  let db: Database;
  let app: HttpApp;
  let base: string;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = await createPostgresDatabase({ connectionString: server.url, queryTimeoutMs: QUERY_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS, pingTimeoutMs: PING_TIMEOUT_MS });
    app = await createHttpApp({
      logger: createLogger({ service: 'outage-test', level: 'silent', pretty: false }),
      metrics: createMetrics('outage_test'),
      authenticate: async () => null,
      readinessChecks: { database: () => db.ping() },
      modules: [
        {
          name: 'things',
          client: {},
          routes: (a) => {
            a.get('/v1/things', async () => ({ items: (await sql<{ n: number }>`select 1::int as n`.execute(db.kysely)).rows }));
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

  const expectUnavailable = (answer: Awaited<ReturnType<typeof timed>>) => {
    expect(answer.status).toBe(503);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.retryAfter).toBe('2');
    expect(answer.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  };

  it('when the server is stopped, then API requests answer 503 problem+json with Retry-After and /readyz 503 at once; after a restart both recover', async () => {
    expect((await timed(`${base}/v1/things`)).status).toBe(200);
    await server.stop({ mode: 'immediate' });
    const stoppedAt = performance.now();

    const answers = await Promise.all(Array.from({ length: 10 }, () => timed(`${base}/v1/things`)));
    for (const answer of answers) expectUnavailable(answer);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + 500);
    const readyDownMs = performance.now() - stoppedAt + (await msUntil(() => timed(`${base}/readyz`).then((r) => r.status), 503));

    await server.start();
    const readyBackMs = await msUntil(() => timed(`${base}/readyz`).then((r) => r.status), 200);
    const apiBackMs = await msUntil(() => timed(`${base}/v1/things`).then((r) => r.status), 200);
    console.info(`[figures] stop -m immediate: readyz 503 after ${Math.round(readyDownMs)} ms; after start readyz 200 in ${Math.round(readyBackMs)} ms, API 200 ${Math.round(apiBackMs)} ms later; 503 answers took ≤ ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms`);
    expect(readyBackMs).toBeLessThan(5_000);
  });

  it('when the server is frozen, then /readyz answers 503 within ~1 s and API requests 503 within the deadline; after SIGCONT both recover', async () => {
    expect((await timed(`${base}/v1/things`)).status).toBe(200);
    await server.freeze();

    const [ready, ...answers] = await Promise.all([timed(`${base}/readyz`), ...Array.from({ length: 5 }, () => timed(`${base}/v1/things`))]);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1_500);
    for (const answer of answers) expectUnavailable(answer);
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(slowest).toBeLessThan(ANSWER_BOUND_MS);

    await server.thaw();
    const readyBackMs = await msUntil(() => timed(`${base}/readyz`).then((r) => r.status), 200);
    const apiBackMs = await msUntil(() => timed(`${base}/v1/things`).then((r) => r.status), 200);
    console.info(`[figures] SIGSTOP: readyz 503 in ${Math.round(ready.ms)} ms; API 503 in ≤ ${Math.round(slowest)} ms (query deadline ${QUERY_TIMEOUT_MS} ms); after SIGCONT readyz 200 in ${Math.round(readyBackMs)} ms, API 200 ${Math.round(apiBackMs)} ms later`);
  });
});
