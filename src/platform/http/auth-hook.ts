import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendRouteHook } from './route-hooks.js';
import { CommonErrors } from './app-error.js';
import type { Authenticate, AuthLevel, Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** who may call this route; absent means public */
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Reads the caller's principal for the routes that need one. */
export function requirePrincipal(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw CommonErrors.unauthenticated();
  return req.principal;
}

/**
 * Authentication runs onRequest, before the body is read or validated: an unauthenticated
 * caller learns nothing about the route's schema and cannot make us parse a large body. The hook is
 * added to the routes that declare `auth` only (from onRoute, so register this before the routes):
 * a public read pays nothing for it, where an app-wide async hook cost every request a promise.
 *
 * A bearer token this process verified before and still trusts (`peek`, the jwt verifier's, as the fast lane
 * uses) is answered synchronously: the hook is callback-style, so such a request costs no promise here. On Node 20
 * every promise pays AsyncLocalStorage's hooks (request-deadline.ts), and the async path cost an add-to-cart nine
 * (the hook's, authenticate's, the verifier's, the revocation check's, each awaited). Anything else (first sight of
 * a token, an API key, a key set to reload, a refusal) takes the async path and its errors.
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate, peek?: (bearer: string) => Principal | undefined) {
  app.decorateRequest('principal', null);
  /** the error a principal meets on a route of `level`, else undefined */
  const refusalOf = (level: AuthLevel, principal: Principal) => {
    if (level === 'admin' && principal.role !== 'admin') return CommonErrors.forbidden('admin routes');
    if (level === 'customer' && principal.role === 'guest') return CommonErrors.forbidden('this route as a guest; register or log in');
    return undefined;
  };
  const authenticateSlowly = async (req: FastifyRequest, level: AuthLevel, bearer: string | undefined) => {
    const apiKeyHeader = req.headers['x-api-key'];
    const apiKey = typeof apiKeyHeader === 'string' ? apiKeyHeader : undefined;
    const principal = await authenticate({ ...(bearer ? { bearer } : {}), ...(apiKey ? { apiKey } : {}) });
    if (!principal) {
      if (level === 'optional') return;
      throw CommonErrors.unauthenticated();
    }
    const refusal = refusalOf(level, principal);
    if (refusal) throw refusal;
    req.principal = principal;
  };
  const authenticateRequest = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const level = req.routeOptions.config?.auth;
    if (!level) return done();
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (header && !bearer) return done(CommonErrors.invalidToken());
    const known = bearer && peek ? peek(bearer) : undefined;
    if (known) {
      const refusal = refusalOf(level, known);
      if (refusal) return done(refusal);
      req.principal = known;
      return done();
    }
    authenticateSlowly(req, level, bearer).then(() => done(), done);
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.auth) appendRouteHook(route, 'onRequest', authenticateRequest);
  });
}
