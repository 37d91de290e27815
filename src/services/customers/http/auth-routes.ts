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
import { z } from 'zod';
import { operation } from '../../../platform/http/api-operation.js';
import {
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
  app.post('/v1/auth/register', {
    config: { criticality: 'high', rateLimit: 'register-per-address' },
    schema: {
      ...operation('customers', {
        operationId: 'registerCustomer',
        summary: 'Create a customer account and log in',
        description: 'Answers a session: a short-lived access token (send it as `Authorization: Bearer`) and a refresh token (exchange it with refreshSession). Limited per client address. Answers are never cached.',
        errors: [CustomersErrors.emailTaken()],
      }),
      body: registerBody,
      response: { 201: sessionResponse },
    },
  }, async (req, reply) => {
    const result = await deps.registerCustomer(req.body);
    if (!result.ok) throw CustomersErrors.from(result);
    const { customer, accessToken, expiresIn, refreshToken } = result;
    return reply.code(201).header('cache-control', NO_STORE).send({ customer: publicCustomer(customer), accessToken, expiresIn, refreshToken });
  });

  app.post('/v1/auth/login', {
    config: { criticality: 'high', rateLimit: login },
    schema: {
      ...operation('customers', {
        operationId: 'logIn',
        summary: 'Log in with email and password',
        description: 'Answers a session like registerCustomer. Wrong email and wrong password get the same answer. Limited per address and per account; repeated failures for one account from one address lock it out for a growing time (429 with Retry-After).',
        errors: [CustomersErrors.invalidCredentials()],
      }),
      body: loginBody,
      response: { 200: sessionResponse },
    },
  }, async (req, reply) => {
    const result = await deps.logInCustomer(req.body, auditContextOf(req));
    if (!result.ok) throw CustomersErrors.from(result);
    const { customer, accessToken, expiresIn, refreshToken } = result;
    return reply.header('cache-control', NO_STORE).send({ customer: publicCustomer(customer), accessToken, expiresIn, refreshToken });
  });

  app.post('/v1/auth/refresh', {
    config: { criticality: 'high', rateLimit: 'refresh-per-address' },
    schema: {
      ...operation('customers', {
        operationId: 'refreshSession',
        summary: 'Exchange a refresh token for a new access token and refresh token',
        description: 'Refresh tokens rotate: each is good for one exchange. Presenting one that was already exchanged ends every session of that login (theft detection), so keep only the newest.',
        errors: [CustomersErrors.refreshTokenInvalid(), CustomersErrors.refreshTokenReused()],
      }),
      body: refreshTokenBody,
      response: { 200: refreshResponse },
    },
  }, async (req, reply) => {
    const result = await deps.refreshSession(req.body.refreshToken, auditContextOf(req));
    if (!result.ok) throw CustomersErrors.from(result);
    const { accessToken, expiresIn, refreshToken } = result;
    return reply.header('cache-control', NO_STORE).send({ accessToken, expiresIn, refreshToken });
  });

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: 'any', criticality: 'high' },
      schema: {
        ...operation('customers', {
          operationId: 'logOut',
          summary: 'End this session',
          description: 'The access token stops working within a second; the refresh token sent (if any) is revoked. Logging out twice is not an error.',
        }),
        body: logoutBody,
        response: { 204: z.undefined().describe('Logged out') },
      },
    },
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

  app.post('/v1/auth/guest', {
    config: { criticality: 'high', rateLimit: 'guest-per-address' },
    schema: {
      ...operation('customers', {
        operationId: 'startGuestSession',
        summary: 'Start a guest session: shop and check out without an account',
        description: 'Answers an access token for a new guest (no refresh token). Limited per client address.',
      }),
      response: { 201: guestResponse },
    },
  }, async (_req, reply) => {
    const { customerId, accessToken, expiresIn } = await deps.startGuestSession();
    return reply.code(201).header('cache-control', NO_STORE).send({ customer: { id: customerId }, accessToken, expiresIn });
  });

  app.get('/v1/me', {
    config: { auth: 'any', criticality: 'high' },
    schema: {
      ...operation('customers', {
        operationId: 'getMe',
        summary: 'The account the access token belongs to',
        description: 'Private and never cached. An admin API key has no account (404).',
        errors: [CustomersErrors.notFound()],
      }),
      response: { 200: meResponse },
    },
  }, async (req, reply) => {
    const customer = await deps.client.getCustomer(requirePrincipal(req).customerId);
    if (!customer) throw CustomersErrors.notFound();
    return reply.header('cache-control', 'private, no-store').send(customer);
  });

  app.get('/.well-known/jwks.json', {
    config: { criticality: 'high' },
    schema: {
      ...operation('customers', {
        operationId: 'getJwks',
        summary: 'The public keys that verify access tokens (JWKS)',
        description: 'Tokens name their key in `kid`; a verifier that meets an unknown kid fetches this again. Cacheable for five minutes.',
      }),
      response: { 200: jwksResponse },
    },
  }, async (_req, reply) => {
    // keys change only on rotation and verifiers refetch when they meet an unknown kid, so five
    // minutes of shared caching costs little; it bounds how stale a CDN's copy can be
    return reply.header('cache-control', 'public, max-age=300').send(await deps.client.jwks());
  });
}
