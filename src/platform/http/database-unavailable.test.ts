import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { HttpApp } from '../service.js';
import { createHttpApp } from './create-http-app.js';

describe('database outages and readiness over HTTP', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'db-unavailable-test', level: 'silent', pretty: false }),
      metrics: createMetrics('db_unavailable_test'),
      authenticate: async () => null,
      readinessTimeoutMs: 300,
      readinessChecks: {
        database: () => new Promise<void>(() => {}), // a frozen dependency: never answers
        cache: async () => {},
      },
      modules: [
        {
          name: 'things',
          client: {},
          routes: (a) => {
            a.get('/v1/terminated', async () => {
              throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
            });
            a.get('/v1/deadline', async () => {
              throw new Error('Query read timeout');
            });
            a.get('/v1/duplicate', async () => {
              throw Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
            });
          },
        },
      ],
    });
  });
  afterAll(() => app?.close());

  it.each(['/v1/terminated', '/v1/deadline'])('when a route fails because the database is unavailable (%s), then it answers 503 problem+json with Retry-After', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it('when a route fails with a database error that is not an outage, then it stays a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/duplicate' });
    expect(res.statusCode).toBe(500);
  });

  it('when a readiness check never answers, then /readyz answers 503 at its deadline naming the check', async () => {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { database: 'down: no answer within 300 ms', cache: 'ok' } });
  });
});
