import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT_SETTINGS, type LimitSettings } from '../rate-limits/limit-catalogue.js';
import { createMemoryRateLimiterStore } from '../rate-limits/memory-rate-limiter-store.js';
import type { RateLimiterStore } from '../rate-limits/rate-limiter.js';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { AppError } from './app-error.js';
import { createHttpApp } from './create-http-app.js';

const tight: LimitSettings = {
  limits: {
    ...DEFAULT_LIMIT_SETTINGS.limits,
    'guest-per-address': { points: 3, durationSeconds: 60 },
    'cart-write-per-customer': { points: 2, durationSeconds: 60 },
    'checkout-per-customer': { points: 100, durationSeconds: 60 },
    'admin-per-api-key': { points: 2, durationSeconds: 60 },
    'login-per-address': { points: 100, durationSeconds: 60 },
    'login-failures-per-account': { points: 6, durationSeconds: 60 },
  },
  loginLockout: { freeFailures: 3, baseSeconds: 1, maxSeconds: 30, memorySeconds: 3_600 },
};

async function shopWithLimits(store: RateLimiterStore, metrics: Metrics, handled: string[]): Promise<HttpApp> {
  return createHttpApp({
    logger: createLogger({ service: 'rate-limit-test', level: 'silent', pretty: false }),
    metrics,
    authenticate: async ({ bearer, apiKey }) => {
      if (apiKey) return { customerId: `apikey:${apiKey}`, role: 'admin', via: 'api_key' };
      return bearer ? { customerId: bearer, role: 'customer', via: 'token' } : null;
    },
    readinessChecks: {},
    rateLimits: { store, settings: tight },
    modules: [
      {
        name: 'limited',
        client: {},
        routes: (a) => {
          a.post('/v1/guest', { config: { rateLimit: 'guest-per-address' } }, async () => (handled.push('guest'), { ok: true }));
          a.post('/v1/cart-write', { config: { auth: 'any', rateLimit: 'cart-write-per-customer' } }, async () => (handled.push('cart'), { ok: true }));
          a.post('/v1/leased-write', { config: { auth: 'any', rateLimit: 'checkout-per-customer' } }, async () => (handled.push('leased'), { ok: true }));
          a.post('/v1/admin/thing', { config: { auth: 'admin' } }, async () => (handled.push('admin'), { ok: true }));
          a.post(
            '/v1/login',
            { config: { rateLimit: { limits: ['login-per-address', 'login-failures-per-account'], account: (b) => (b as { email?: string }).email, lockout: true } } },
            async (req) => {
              handled.push('login');
              if ((req.body as { password: string }).password !== 'right') throw new AppError('BAD_LOGIN', 'unauthorized', 'wrong');
              return { ok: true };
            },
          );
        },
      },
    ],
  });
}

describe('rate limits over HTTP', () => {
  let app: HttpApp;
  const metrics = createMetrics('rate_limit_test');
  const handled: string[] = [];

  beforeAll(async () => {
    app = await shopWithLimits(createMemoryRateLimiterStore(), metrics, handled);
  });
  afterAll(() => app?.close());

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const post = (url: string, headers: Record<string, string> = {}, payload?: object) =>
    app.inject({ method: 'POST', url, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload } : {}) });

  it('when one client address starts more guest sessions than its limit, then 429 problem+json with Retry-After and RateLimit headers, the handler never runs, and other addresses go on', async () => {
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await post('/v1/guest', from('198.51.100.7')));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers.ratelimit)).toEqual(['"guest-per-address";r=2;t=60', '"guest-per-address";r=1;t=60', '"guest-per-address";r=0;t=60']);
    const count = handled.length;

    const refused = await post('/v1/guest', from('198.51.100.7'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(refused.headers['ratelimit-policy']).toBe('"guest-per-address";q=3;w=60');
    expect(refused.headers.ratelimit).toMatch(/^"guest-per-address";r=0;t=(59|60)$/);
    expect(handled.length).toBe(count);

    expect((await post('/v1/guest', from('198.51.100.8'))).statusCode).toBe(200);
  });

  it('when X-Forwarded-For comes from a client that is not a trusted proxy, then it is ignored and the client counts as itself', async () => {
    const untrusted = (forwarded: string) => app.inject({ method: 'POST', url: '/v1/guest', remoteAddress: '203.0.113.50', headers: from(forwarded) });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await untrusted(`192.0.2.${i}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('when IPv6 clients rotate addresses inside one /64, then they share one count', async () => {
    const statuses = [];
    for (const suffix of ['1', '2', 'a:b', 'ffff']) statuses.push((await post('/v1/guest', from(`2001:db8:7:7::${suffix}`))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('when one customer writes to carts past the limit, then only that customer is refused', async () => {
    const a = { authorization: 'Bearer customer-a' };
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post('/v1/cart-write', { ...a, ...from(`198.51.100.${20 + i}`) })).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await post('/v1/cart-write', { authorization: 'Bearer customer-b' })).statusCode).toBe(200);
  });

  it('when an admin API key is used past its limit, then that key is refused on every admin route and another key is not', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post('/v1/admin/thing', { 'x-api-key': 'key-1' })).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await post('/v1/admin/thing', { 'x-api-key': 'key-2' })).statusCode).toBe(200);
  });

  it('when requests are refused, then the limited counter names the limit', async () => {
    const text = await metrics.registry.getSingleMetricAsString('floodgate_ratelimit_decisions_total');
    expect(text).toMatch(/limiter="guest-per-address",result="limited"[^\n]*\} [1-9]/);
    expect(text).toMatch(/limiter="admin-per-api-key",result="limited"[^\n]*\} [1-9]/);
    expect(text).toMatch(/limiter="guest-per-address",result="allowed"[^\n]*\} [1-9]/);
  });
});

describe('login lockout', () => {
  let app: HttpApp;
  const handled: string[] = [];

  beforeAll(async () => {
    app = await shopWithLimits(createMemoryRateLimiterStore(), createMetrics('lockout_test'), handled);
  });
  afterAll(() => app?.close());

  const login = (email: string, password: string, address: string) =>
    app.inject({ method: 'POST', url: '/v1/login', headers: { 'x-forwarded-for': address, 'content-type': 'application/json' }, payload: { email, password } });

  it('when an address fails past the free failures, then that address is locked out of the account for a doubling time, the right password included, while the owner logs in from elsewhere', async () => {
    const attacker = '198.51.100.66';
    // the owner's usual address (see the per-account cap below: a known address is spared by it)
    expect((await login('victim@example.com', 'right', '198.51.100.1')).statusCode).toBe(200);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await login('victim@example.com', 'guess', attacker)).statusCode);
    // three free failures, the fourth is counted and starts a 1 s lock
    expect(statuses).toEqual([401, 401, 401, 401]);
    const handledBefore = handled.length;
    const locked = await login('Victim@Example.com', 'right', attacker);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(locked.json().detail).toContain('login-lockout');
    expect(handled.length).toBe(handledBefore);

    // the owner, elsewhere, is not affected by the attacker's lock
    expect((await login('victim@example.com', 'right', '198.51.100.1')).statusCode).toBe(200);

    // once the lock lapses the attacker may try again; one more failure locks it twice as long
    await expect.poll(async () => (await login('victim@example.com', 'guess', attacker)).statusCode, { timeout: 5_000, interval: 200 }).toBe(401);
    const again = await login('victim@example.com', 'right', attacker);
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBe('2');
  });

  it('when many addresses fail for one account, then the per-account cap refuses new addresses for at most its window, but an address the owner used before still gets in', async () => {
    const account = 'target@example.com';
    // the owner's usual address: one successful login makes it known
    expect((await login(account, 'right', '198.51.100.200')).statusCode).toBe(200);
    for (let i = 0; i < 6; i += 1) expect((await login(account, 'guess', `203.0.113.${i}`)).statusCode).toBe(401);

    const fresh = await login(account, 'right', '203.0.113.99');
    expect(fresh.statusCode).toBe(429);
    expect(fresh.json().detail).toContain('login-failures-per-account');
    // the delay an attacker can impose is bounded by the window (60 s here), never a lockout for ever
    expect(Number(fresh.headers['retry-after'])).toBeLessThanOrEqual(60);

    expect((await login(account, 'right', '198.51.100.200')).statusCode).toBe(200);
  });

  it('when a login succeeds, then the failures of that address for that account are forgotten', async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < 3; i += 1) await login('forgetful@example.com', 'guess', address);
    expect((await login('forgetful@example.com', 'right', address)).statusCode).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await login('forgetful@example.com', 'guess', address)).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    expect((await login('forgetful@example.com', 'right', address)).statusCode).toBe(200);
  });

  it('when the body names no account (invalid), then no account limit is touched and the request goes on to validation', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/login', headers: { 'content-type': 'application/json' }, payload: '[]' });
    expect(res.statusCode).not.toBe(429);
  });
});

describe('rate limits when the limit store fails', () => {
  it('when every limiter throws, then requests are let through (limits protect the shop, they never take it down)', async () => {
    const broken: RateLimiterStore = {
      kind: 'redis',
      limiter: (name, policy) => {
        const fail = async (): Promise<never> => {
          throw new Error('redis gone');
        };
        return { name, policy, consume: fail, penalty: fail, reward: fail, peek: fail, block: fail, reset: fail };
      },
      close: async () => {},
    };
    const app = await shopWithLimits(broken, createMetrics('broken_limits_test'), []);
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await app.inject({ method: 'POST', url: '/v1/guest' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      // a leased limit (here 100 points: leases of 10) that cannot take its lease lets the request through too
      const leased = [];
      for (let i = 0; i < 3; i += 1) leased.push((await app.inject({ method: 'POST', url: '/v1/leased-write', headers: { authorization: 'Bearer customer-l' } })).statusCode);
      expect(leased).toEqual([200, 200, 200]);
      const res = await app.inject({ method: 'POST', url: '/v1/login', headers: { 'content-type': 'application/json' }, payload: { email: 'a@b.c', password: 'right' } });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
