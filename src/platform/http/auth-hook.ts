import type { FastifyInstance, FastifyRequest } from 'fastify';
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
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate) {
  app.decorateRequest('principal', null);
  const authenticateRequest = async (req: FastifyRequest) => {
    const level = req.routeOptions.config?.auth;
    if (!level) return;
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (header && !bearer) throw CommonErrors.invalidToken();
    const apiKeyHeader = req.headers['x-api-key'];
    const apiKey = typeof apiKeyHeader === 'string' ? apiKeyHeader : undefined;
    const principal = await authenticate({ ...(bearer ? { bearer } : {}), ...(apiKey ? { apiKey } : {}) });
    if (!principal) {
      if (level === 'optional') return;
      throw CommonErrors.unauthenticated();
    }
    if (level === 'admin' && principal.role !== 'admin') throw CommonErrors.forbidden('admin routes');
    if (level === 'customer' && principal.role === 'guest') {
      throw CommonErrors.forbidden('this route as a guest; register or log in');
    }
    req.principal = principal;
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.auth) appendRouteHook(route, 'onRequest', authenticateRequest);
  });
}
