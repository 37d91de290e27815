import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './app-error.js';

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
 */
export const opsAccess = fp(
  async (app: FastifyInstance, { token }: OpsAccessOptions) => {
    const expected = token ? digest(token) : undefined;
    app.decorateRequest('opsAccess', false);
    app.addHook('onRequest', async (req, reply) => {
      if (!expected) {
        req.opsAccess = true;
        return;
      }
      const header = req.headers.authorization;
      const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      req.opsAccess = presented !== undefined && timingSafeEqual(digest(presented), expected);
      if (req.routeOptions.config?.opsData && !req.opsAccess) {
        reply.header('www-authenticate', 'Bearer realm="floodgate-ops"');
        throw OpsErrors.tokenRequired();
      }
    });
  },
  { name: 'floodgate-ops-access', fastify: '5.x' },
);
