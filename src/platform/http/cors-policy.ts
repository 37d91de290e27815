import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CorsPolicyOptions {
  /** exact origins (scheme://host[:port]) whose pages may call the API; empty: no browser origin may */
  origins: readonly string[];
}

/**
 * CORS by explicit allow-list. A listed origin gets its preflight answered (204 with the allowed
 * methods and headers) and its answers readable; any other origin, and every request when the
 * list is empty, gets no CORS headers at all, so the browser keeps the answer from the page and
 * a preflight falls through to the ordinary 404. Credentials are bearer tokens, never cookies,
 * so `Access-Control-Allow-Credentials` is never sent.
 */
export const corsPolicy = fp(
  async (app: FastifyInstance, { origins }: CorsPolicyOptions) => {
    // no origin allowed (the default): nothing to answer, so no per-request hook and no preflight route;
    // a preflight then meets the ordinary 404 and answers carry no CORS headers, as with an empty list
    if (origins.length === 0) return;
    const allowed = new Set(origins);
    await app.register(fastifyCors, {
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      // X-Api-Key is left out on purpose: admin API keys belong to servers, not to pages
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Admission-Token', 'X-Request-Id'],
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'ETag', 'RateLimit', 'RateLimit-Policy'],
      credentials: false,
      maxAge: 600,
    });
  },
  { name: 'floodgate-cors-policy', fastify: '5.x' },
);
