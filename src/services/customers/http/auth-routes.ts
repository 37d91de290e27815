import { auditContextOf } from '../../../platform/http/audit-context.js';
import { requirePrincipal } from '../../../platform/http/auth-hook.js';
import type { HttpApp } from '../../../platform/service.js';
import type { CustomersClient } from '../contract/customers-client.js';
import { CustomersErrors } from '../errors.js';
import type { makeLogInCustomer } from '../log-in-customer.js';
import type { makeLogOutCustomer } from '../log-out-customer.js';
import type { makeRefreshSession } from '../refresh-session.js';
import type { makeRegisterCustomer } from '../register-customer.js';
import type { makeStartGuestSession } from '../start-guest-session.js';
import {
  bearerSecurity,
  guestResponse,
  jwksResponse,
  loginBody,
  logoutBody,
  meResponse,
  refreshResponse,
  refreshTokenBody,
  registerBody,
  sessionResponse,
} from './auth-schemas.js';

export interface AuthRoutesDeps {
  registerCustomer: ReturnType<typeof makeRegisterCustomer>;
  logInCustomer: ReturnType<typeof makeLogInCustomer>;
  refreshSession: ReturnType<typeof makeRefreshSession>;
  logOutCustomer: ReturnType<typeof makeLogOutCustomer>;
  startGuestSession: ReturnType<typeof makeStartGuestSession>;
  client: CustomersClient;
}

// the customer part of a session answer: never the account row itself, which holds the hash
const publicCustomer = (c: { id: string; email: string | null; name: string | null }) => ({ id: c.id, email: c.email ?? '', name: c.name ?? '' });

// the account a login names, for the per-account limits; a body that is not an object names none (and fails validation)
const emailOf = (body: unknown) => {
  const email = (body as { email?: unknown } | null | undefined)?.email;
  return typeof email === 'string' ? email : undefined;
};
const login = { limits: ['login-per-address', 'login-failures-per-account'], account: emailOf, lockout: true } as const;

// tokens must not land in shared caches or browser history
const NO_STORE = 'no-store';

export function registerAuthRoutes(app: HttpApp, deps: AuthRoutesDeps) {
  const tags = ['auth'];

  app.post('/v1/auth/register', { config: { criticality: 'high', rateLimit: 'register-per-address' }, schema: { tags, body: registerBody, response: { 201: sessionResponse } } }, async (req, reply) => {
    const result = await deps.registerCustomer(req.body);
    if (!result.ok) throw CustomersErrors.from(result);
    const { customer, accessToken, expiresIn, refreshToken } = result;
    return reply.code(201).header('cache-control', NO_STORE).send({ customer: publicCustomer(customer), accessToken, expiresIn, refreshToken });
  });

  app.post('/v1/auth/login', { config: { criticality: 'high', rateLimit: login }, schema: { tags, body: loginBody, response: { 200: sessionResponse } } }, async (req, reply) => {
    const result = await deps.logInCustomer(req.body, auditContextOf(req));
    if (!result.ok) throw CustomersErrors.from(result);
    const { customer, accessToken, expiresIn, refreshToken } = result;
    return reply.header('cache-control', NO_STORE).send({ customer: publicCustomer(customer), accessToken, expiresIn, refreshToken });
  });

  app.post('/v1/auth/refresh', { config: { criticality: 'high', rateLimit: 'refresh-per-address' }, schema: { tags, body: refreshTokenBody, response: { 200: refreshResponse } } }, async (req, reply) => {
    const result = await deps.refreshSession(req.body.refreshToken, auditContextOf(req));
    if (!result.ok) throw CustomersErrors.from(result);
    const { accessToken, expiresIn, refreshToken } = result;
    return reply.header('cache-control', NO_STORE).send({ accessToken, expiresIn, refreshToken });
  });

  app.post(
    '/v1/auth/logout',
    { config: { auth: 'any', criticality: 'high' }, schema: { tags, security: bearerSecurity, body: logoutBody } },
    async (req, reply) => {
      const principal = requirePrincipal(req);
      await deps.logOutCustomer({
        customerId: principal.customerId,
        ...(principal.sessionId ? { sessionId: principal.sessionId } : {}),
        ...(req.body.refreshToken ? { refreshToken: req.body.refreshToken } : {}),
      });
      return reply.code(204).send();
    },
  );

  app.post('/v1/auth/guest', { config: { criticality: 'high', rateLimit: 'guest-per-address' }, schema: { tags, response: { 201: guestResponse } } }, async (_req, reply) => {
    const { customerId, accessToken, expiresIn } = await deps.startGuestSession();
    return reply.code(201).header('cache-control', NO_STORE).send({ customer: { id: customerId }, accessToken, expiresIn });
  });

  app.get('/v1/me', { config: { auth: 'any', criticality: 'high' }, schema: { tags, security: bearerSecurity, response: { 200: meResponse } } }, async (req, reply) => {
    const customer = await deps.client.getCustomer(requirePrincipal(req).customerId);
    if (!customer) throw CustomersErrors.notFound();
    return reply.header('cache-control', 'private, no-store').send(customer);
  });

  app.get('/.well-known/jwks.json', { config: { criticality: 'high' }, schema: { tags, response: { 200: jwksResponse } } }, async (_req, reply) => {
    // keys change only on rotation and verifiers refetch when they meet an unknown kid, so five
    // minutes of shared caching costs little; it bounds how stale a CDN's copy can be
    return reply.header('cache-control', 'public, max-age=300').send(await deps.client.jwks());
  });
}
