import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../src/platform/auth/principal.js';
import { CommonErrors } from '../../src/platform/http/app-error.js';
import { createHttpApp } from '../../src/platform/http/create-http-app.js';
import type { HttpApp } from '../../src/platform/service.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createMetrics } from '../../src/platform/telemetry/metrics.js';

const unique = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

// every value a log line must never show; unique so a match can only be a leak
const SECRETS = {
  password: unique('Pw-'),
  newPassword: unique('Pw2-'),
  accessToken: unique('eyJhbGciOiJFUzI1NiJ9.access.'),
  badBearer: unique('eyJhbGciOiJFUzI1NiJ9.forged.'),
  refreshToken: unique('rt_'),
  apiKey: unique('fgk_live_'),
  paymentToken: unique('tok_visa_'),
  email: `${unique('jane.')}@example.com`,
  line1: `742 Evergreen Terrace ${unique('apt-')}`,
  postalCode: unique('ZX9-'),
  cookie: unique('session='),
};

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'log-test', level: 'debug', pretty: false, destination: stream }) };
}

const authenticate = async ({ bearer, apiKey }: { bearer?: string; apiKey?: string }): Promise<Principal | null> => {
  if (apiKey === SECRETS.apiKey) return { customerId: 'admin-1', role: 'admin', via: 'api_key' };
  if (bearer === SECRETS.accessToken) return { customerId: 'cust-1', role: 'customer', via: 'token' };
  if (bearer || apiKey) throw CommonErrors.invalidToken();
  return null;
};

const address = z.strictObject({ name: z.string(), line1: z.string(), city: z.string(), postalCode: z.string(), country: z.string() });

/** Routes written the way a hurried engineer might: logging whole bodies, headers and inputs. */
function careless(app: HttpApp) {
  app.post('/v1/auth/register', { schema: { body: z.strictObject({ email: z.string(), password: z.string(), name: z.string() }) } }, async (req, reply) => {
    req.log.info({ body: req.body }, 'registering');
    return reply.code(201).send({ customer: { id: 'c1' }, accessToken: SECRETS.accessToken, refreshToken: SECRETS.refreshToken });
  });
  app.post('/v1/auth/login', { schema: { body: z.strictObject({ email: z.string(), password: z.string() }) } }, async (req) => {
    req.log.info({ email: req.body.email, attempt: req.body }, 'login failed');
    throw CommonErrors.unauthenticated();
  });
  app.post('/v1/auth/refresh', { schema: { body: z.strictObject({ refreshToken: z.string() }) } }, async (req) => {
    // a driver error carrying the input: the 500 path logs the error object
    throw Object.assign(new Error('token store unavailable'), { input: req.body, config: { headers: { authorization: req.headers.authorization } } });
  });
  app.post('/v1/me/password', { config: { auth: 'customer' }, schema: { body: z.strictObject({ currentPassword: z.string(), newPassword: z.string() }) } }, async (req) => {
    req.log.debug({ req: { headers: req.headers, body: req.body } }, 'changing password');
    return { ok: true };
  });
  app.get('/v1/me', { config: { auth: 'any' } }, async (req) => {
    req.log.info({ headers: req.headers }, 'who am i');
    return { id: req.principal?.customerId };
  });
  app.get('/v1/admin/things', { config: { auth: 'admin' } }, async (req) => {
    req.log.info({ headers: req.headers }, 'admin call');
    return { items: [] };
  });
  app.post('/v1/checkout', {
    schema: { body: z.strictObject({ cartId: z.string(), email: z.string(), shippingAddress: address, paymentToken: z.string() }) },
  }, async (req, reply) => {
    req.log.info({ input: { order: req.body, customer: { email: req.body.email } } }, 'placing order');
    req.log.child({ paymentToken: req.body.paymentToken, shipTo: req.body.shippingAddress }).info('charging');
    return reply.code(202).send({ orderId: 'o1', status: 'pending' });
  });
}

describe('request logs', () => {
  const { lines, logger } = captureLogs();
  let app: HttpApp;

  beforeAll(async () => {
    app = await createHttpApp({
      logger, metrics: createMetrics('log-test'), authenticate, readinessChecks: {},
      modules: [{ name: 'careless', client: {}, routes: careless }],
    });
  });
  afterAll(() => app.close());

  it('when requests carry passwords, tokens, API keys, payment tokens and addresses, then no log line contains any of them', async () => {
    const json = { 'content-type': 'application/json' };
    const checkout = {
      cartId: 'cart-1', email: SECRETS.email, paymentToken: SECRETS.paymentToken,
      shippingAddress: { name: 'Jane Doe', line1: SECRETS.line1, city: 'Springfield', postalCode: SECRETS.postalCode, country: 'US' },
    };
    const responses = await Promise.all([
      app.inject({ method: 'POST', url: '/v1/auth/register', headers: json, payload: { email: SECRETS.email, password: SECRETS.password, name: 'Jane' } }),
      app.inject({ method: 'POST', url: '/v1/auth/login', headers: json, payload: { email: SECRETS.email, password: SECRETS.password } }),
      app.inject({ method: 'POST', url: '/v1/auth/refresh', headers: { ...json, authorization: `Bearer ${SECRETS.accessToken}` }, payload: { refreshToken: SECRETS.refreshToken } }),
      app.inject({ method: 'POST', url: '/v1/me/password', headers: { ...json, authorization: `Bearer ${SECRETS.accessToken}`, cookie: SECRETS.cookie }, payload: { currentPassword: SECRETS.password, newPassword: SECRETS.newPassword } }),
      app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${SECRETS.accessToken}` } }),
      app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${SECRETS.badBearer}` } }),
      app.inject({ method: 'GET', url: '/v1/admin/things', headers: { 'x-api-key': SECRETS.apiKey } }),
      app.inject({ method: 'POST', url: '/v1/checkout', headers: { ...json, 'idempotency-key': 'idem-12345678' }, payload: checkout }),
      // rejected input must not be echoed into logs either
      app.inject({ method: 'POST', url: '/v1/checkout', headers: json, payload: { ...checkout, cardNumber: '4242424242424242', extra: SECRETS.password } }),
      app.inject({ method: 'POST', url: '/v1/auth/login', headers: json, payload: `{"email":"${SECRETS.email}","password":"${SECRETS.password}"` }),
      app.inject({ method: 'GET', url: `/v1/nowhere?access_token=${SECRETS.accessToken}&email=${SECRETS.email}` }),
    ]);

    expect(responses.map((r) => r.statusCode)).toEqual([201, 401, 500, 200, 200, 401, 200, 202, 400, 400, 404]);
    await new Promise((r) => setImmediate(r));
    const captured = lines.join('\n');
    expect(lines.filter((l) => JSON.parse(l).msg === 'request')).toHaveLength(responses.length);
    expect(captured).toContain('placing order'); // the careless lines were written, with their secrets censored
    expect(captured).toContain('[redacted]');
    const leaked = Object.entries(SECRETS).filter(([, value]) => captured.includes(value) || captured.includes(value.slice(0, 20)));
    expect(leaked.map(([name]) => name)).toEqual([]);
    expect(captured).not.toContain('4242424242424242');
  });

  it('when a request is served, then its log line carries request id, service, route, method, status and duration', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${SECRETS.accessToken}`, 'x-request-id': 'req-abcdef123' } });
    expect(response.headers['x-request-id']).toBe('req-abcdef123');
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request');
    expect(line).toMatchObject({ reqId: 'req-abcdef123', service: 'log-test', route: '/v1/me', method: 'GET', status: 200 });
    expect(typeof line?.durationMs).toBe('number');
    expect(line).not.toHaveProperty('traceId'); // tracing is off in this process
  });
});
