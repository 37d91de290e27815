import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the answer is about the caller (or carries a secret) even though the route is public: never cache it */
    noStore?: boolean;
  }
}

/**
 * `Cache-Control: no-store` on every answer that is about one caller: routes that require a
 * principal (carts, orders, me, admin, checkout, flash-sale queues …), any answer to a request that
 * authenticated, and routes that opt in with `config.noStore`. Error answers included, so a
 * shared cache can never hand one customer's answer (or the fact it was refused) to another.
 * A route that already said no-store keeps its own wording (`private, no-store`).
 */
export const noStore = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (req, reply, payload) => {
      const config = req.routeOptions.config;
      const personal = (config?.auth !== undefined && config.auth !== 'optional') || req.principal != null || config?.noStore === true;
      if (!personal) return payload;
      const current = reply.getHeader('cache-control');
      if (typeof current !== 'string' || !current.includes('no-store')) reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'floodgate-no-store', fastify: '5.x', dependencies: [] },
);
