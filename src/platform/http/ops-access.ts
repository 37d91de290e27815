import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './app-error.js';
import { appendRouteHook } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** operations data (metrics, the ops summary): behind FLOODGATE_OPS_TOKEN when one is set */
    opsData?: boolean;
  }
  interface FastifyRequest {
    /** the caller may see operations data: no ops token is configured, or it sent the right one */
    opsAccess: boolean;
  }
}

export interface OpsAccessOptions {
  /** FLOODGATE_OPS_TOKEN; unset: operations data is open (the all-in-one default, on loopback) */
  token: string | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export const OpsErrors = {
  tokenRequired: () =>
    new AppError('OPS_TOKEN_REQUIRED', 'unauthorized', 'Operations data needs the operations token: Authorization: Bearer <FLOODGATE_OPS_TOKEN>'),
};

/**
 * Guards every route marked `config.opsData` with `Authorization: Bearer <ops token>` and tells
 * other routes (readiness details) whether the caller may see operations data. Both sides are
 * hashed before a constant-time compare, so neither the token's bytes nor its length leak
 * through timing.
 *
 * Nothing runs on an ordinary request: `req.opsAccess` is worked out when read (a getter), and
 * only ops-data routes carry the guard (a route-level hook added as they are registered).
 */
export const opsAccess = fp(
  async (app: FastifyInstance, { token }: OpsAccessOptions) => {
    const expected = token ? digest(token) : undefined;
    if (!expected) {
      app.decorateRequest('opsAccess', true);
      return;
    }
    app.decorateRequest('opsAccess', {
      getter(this: FastifyRequest) {
        const header = this.headers.authorization;
        const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
        return presented !== undefined && timingSafeEqual(digest(presented), expected);
      },
    });
    const guard = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (req.opsAccess) return done();
      reply.header('www-authenticate', 'Bearer realm="floodgate-ops"');
      done(OpsErrors.tokenRequired());
    };
    app.addHook('onRoute', (route) => {
      if ((route.config as { opsData?: boolean } | undefined)?.opsData) appendRouteHook(route, 'onRequest', guard);
    });
  },
  { name: 'floodgate-ops-access', fastify: '5.x' },
);
