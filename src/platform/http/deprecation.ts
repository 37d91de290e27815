import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Deprecation } from './api-operation.js';
import { appendRouteHook } from './route-hooks.js';

/** `Deprecation: @<unix seconds>` (RFC 9745), `Sunset: <HTTP-date>` (RFC 8594), and a link to what replaces it */
export function deprecationHeaders({ since, sunset, link }: Deprecation): Record<string, string> {
  return {
    deprecation: `@${Math.floor(since.getTime() / 1000)}`,
    ...(sunset ? { sunset: sunset.toUTCString() } : {}),
    ...(link ? { link: `<${link}>; rel="deprecation"; type="text/html"` } : {}),
  };
}

/**
 * A route deprecated with `operation(…, { deprecation })` (api-operation.ts) announces it on every answer,
 * refusals included, so a client learns of it from whatever it sends (docs/api-versioning.md). Only those
 * routes get the hook.
 */
export const deprecationNotices = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const deprecation = route.schema?.deprecation;
      if (!deprecation) return;
      const headers = deprecationHeaders(deprecation);
      // onSend: it also runs for answers that hooks before the route gave (401, 429, 503)
      appendRouteHook(route, 'onSend', (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
        reply.headers(headers);
        done(null, payload);
      });
    });
  },
  { name: 'floodgate-deprecation', fastify: '5.x' },
);
