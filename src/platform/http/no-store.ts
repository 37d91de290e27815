import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { appendRouteHook } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the answer is about the caller (or carries a secret) even though the route is public: never cache it */
    noStore?: boolean;
  }
}

const markNoStore = (reply: FastifyReply) => {
  const current = reply.getHeader('cache-control');
  if (typeof current !== 'string' || !current.includes('no-store')) reply.header('cache-control', 'no-store');
};

/**
 * `Cache-Control: no-store` on every answer that is about one caller: routes that require a
 * principal (carts, orders, me, admin, checkout, flash-sale queues …), any answer to a request that
 * authenticated, and routes that opt in with `config.noStore`. Error answers included, so a
 * shared cache can never hand one customer's answer (or the fact it was refused) to another.
 * A route that already said no-store keeps its own wording (`private, no-store`).
 *
 * Decided per route when it is added, not per request: only a route that declares `auth` can ever
 * have a principal (auth-hook.ts reads none otherwise), so public routes get no hook at all.
 */
export const noStore = fp(
  async (app: FastifyInstance) => {
    const always = (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
      markNoStore(reply);
      done(null, payload);
    };
    // `auth: 'optional'`: personal only when the caller turned out to be someone
    const whenAuthenticated = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
      if (req.principal != null) markNoStore(reply);
      done(null, payload);
    };
    app.addHook('onRoute', (route) => {
      const config = route.config as { auth?: string; noStore?: boolean } | undefined;
      if ((config?.auth !== undefined && config.auth !== 'optional') || config?.noStore === true) appendRouteHook(route, 'onSend', always);
      else if (config?.auth === 'optional') appendRouteHook(route, 'onSend', whenAuthenticated);
    });
  },
  { name: 'floodgate-no-store', fastify: '5.x', dependencies: [] },
);
