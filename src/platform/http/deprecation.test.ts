import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { HttpApp } from '../service.js';
import { operation } from './api-operation.js';
import { createHttpApp } from './create-http-app.js';
import { deprecationHeaders } from './deprecation.js';

// no real operation is deprecated yet: these two stand for an old operation and its replacement
const since = new Date('2026-11-01T00:00:00Z');
const sunset = new Date('2027-05-01T00:00:00Z');

describe('deprecated operations (docs/api-versioning.md)', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'deprecation-test', level: 'silent', pretty: false }),
      metrics: createMetrics('deprecation_test'),
      authenticate: async ({ bearer }) => (bearer === 'good' ? { customerId: 'c1', role: 'customer', via: 'token' } : null),
      readinessChecks: {},
      modules: [{
        name: 'things',
        client: {},
        routes: (a) => {
          a.get('/v1/old-things/:id', {
            config: { auth: 'any' },
            schema: {
              ...operation('things', {
                operationId: 'getOldThing',
                summary: 'A thing, the old way',
                description: 'Deprecated: use getThing.',
                deprecation: { since, sunset, link: 'https://floodgate.dev/docs/api-versioning' },
              }),
              params: z.strictObject({ id: z.uuid() }),
              response: { 200: z.object({ id: z.string() }) },
            },
          }, async (req) => ({ id: req.params.id }));
          a.get('/v1/things/:id', {
            config: { auth: 'any' },
            schema: { ...operation('things', { operationId: 'getThing', summary: 'A thing', description: 'The current way.' }), params: z.strictObject({ id: z.uuid() }), response: { 200: z.object({ id: z.string() }) } },
          }, async (req) => ({ id: req.params.id }));
        },
      }],
    });
  });
  afterAll(() => app?.close());

  it('when a deprecated operation answers, then it sends Deprecation as @<unix seconds> (RFC 9745), Sunset as an HTTP-date (RFC 8594) and the deprecation link', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/old-things/0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10', headers: { authorization: 'Bearer good' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers.deprecation).toBe(`@${since.getTime() / 1000}`);
    expect(res.headers.deprecation).toBe('@1793491200');
    expect(res.headers.sunset).toBe('Sat, 01 May 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('<https://floodgate.dev/docs/api-versioning>; rel="deprecation"; type="text/html"');
  });

  it.each([
    ['its schema', 'not-a-uuid', 'Bearer good', 400],
    ['the auth hook, before the route', '0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10', undefined, 401],
  ])('when %s refuses a request to a deprecated operation, then the refusal carries the headers too', async (_by, id, authorization, status) => {
    const res = await app.inject({ method: 'GET', url: `/v1/old-things/${id}`, headers: authorization ? { authorization } : {} });
    expect(res.statusCode).toBe(status);
    expect(res.headers.deprecation).toBe('@1793491200');
    expect(res.headers.sunset).toBe('Sat, 01 May 2027 00:00:00 GMT');
  });

  it('when an operation that is not deprecated answers, then it sends neither header', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/things/0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10' });
    expect(res.statusCode).toBe(401);
    expect(res.headers.deprecation).toBeUndefined();
    expect(res.headers.sunset).toBeUndefined();
  });

  it('when the document is built, then only the deprecated operation is marked deprecated', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, { get: { deprecated?: boolean; operationId: string } }> };
    expect(doc.paths['/v1/old-things/{id}']?.get).toMatchObject({ operationId: 'getOldThing', deprecated: true });
    expect(doc.paths['/v1/things/{id}']?.get.deprecated).toBeUndefined();
  });

  it('when no sunset date is set, then only Deprecation is sent', () => {
    expect(deprecationHeaders({ since })).toEqual({ deprecation: '@1793491200' });
  });
});
