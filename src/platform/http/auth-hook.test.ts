import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Principal } from '../auth/principal.js';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { CommonErrors } from './app-error.js';
import { requirePrincipal } from './auth-hook.js';
import { createHttpApp } from './create-http-app.js';

// tokens this process "verified before" (what the jwt verifier's peek remembers) and tokens only authenticate knows
const remembered: Record<string, Principal> = {
  'guest-token': { customerId: 'guest-1', role: 'guest', via: 'token', sessionId: 's1' },
  'admin-token': { customerId: 'admin-1', role: 'admin', via: 'token', sessionId: 's2' },
};
const verifiable: Record<string, Principal> = {
  'fresh-token': { customerId: 'customer-3', role: 'customer', via: 'token', sessionId: 's3' },
};

describe('authentication hook', () => {
  let app: HttpApp;
  const asked: Credentials[] = [];

  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'auth-hook-test', level: 'silent', pretty: false }),
      metrics: createMetrics('auth_hook_test'),
      authenticate: async (credentials) => {
        asked.push(credentials);
        if (credentials.bearer) {
          const principal = verifiable[credentials.bearer] ?? remembered[credentials.bearer];
          if (!principal) throw CommonErrors.invalidToken();
          return principal;
        }
        return null;
      },
      peekPrincipal: (bearer) => remembered[bearer],
      readinessChecks: {},
      modules: [
        {
          name: 'guarded',
          client: {},
          routes: (a) => {
            a.get('/v1/any', { config: { auth: 'any' } }, async (req) => ({ customerId: requirePrincipal(req).customerId }));
            a.get('/v1/customer', { config: { auth: 'customer' } }, async (req) => ({ customerId: requirePrincipal(req).customerId }));
            a.get('/v1/admin/thing', { config: { auth: 'admin' } }, async (req) => ({ customerId: requirePrincipal(req).customerId }));
            a.get('/v1/optional', { config: { auth: 'optional' } }, async (req) => ({ customerId: req.principal?.customerId ?? null }));
          },
        },
      ],
    });
  });
  afterAll(() => app?.close());

  const get = (url: string, authorization?: string) => app.inject({ method: 'GET', url, ...(authorization ? { headers: { authorization } } : {}) });

  it('when a bearer token was verified before (peek knows it), then the route gets its principal and authenticate is not asked', async () => {
    asked.length = 0;
    const answer = await get('/v1/any', 'Bearer guest-token');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ customerId: 'guest-1' });
    expect((await get('/v1/admin/thing', 'Bearer admin-token')).json()).toEqual({ customerId: 'admin-1' });
    expect(asked).toEqual([]);
  });

  it('when a token peek does not know is sent, then authenticate decides, with its principal or its error', async () => {
    asked.length = 0;
    expect((await get('/v1/customer', 'Bearer fresh-token')).json()).toEqual({ customerId: 'customer-3' });
    const forged = await get('/v1/any', 'Bearer forged-token');
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(asked).toEqual([{ bearer: 'fresh-token' }, { bearer: 'forged-token' }]);
  });

  it('when a remembered principal lacks the route\'s level, then 403 names it, as on the authenticate path', async () => {
    const asGuest = await get('/v1/customer', 'Bearer guest-token');
    expect(asGuest.statusCode).toBe(403);
    expect(asGuest.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const notAdmin = await get('/v1/admin/thing', 'Bearer guest-token');
    expect(notAdmin.statusCode).toBe(403);
    // the same refusal for a principal authenticate found
    expect((await get('/v1/admin/thing', 'Bearer fresh-token')).statusCode).toBe(403);
  });

  it('when the authorization header is not a bearer token, or is absent, then 401 (optional routes go on anonymously) and neither peek nor authenticate is asked about it', async () => {
    asked.length = 0;
    const malformed = await get('/v1/any', 'Basic Zm9vOmJhcg==');
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect((await get('/v1/any')).json()).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect((await get('/v1/optional')).json()).toEqual({ customerId: null });
    expect(asked).toEqual([{}, {}]);
  });
});
