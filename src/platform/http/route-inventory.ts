import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface ServedRoute {
  method: string;
  url: string;
  /** left out of the OpenAPI document on purpose (operations and docs routes) */
  hidden: boolean;
  /** what is shed first under overload (load-shedding.ts gives every route one before this hook sees it); absent without shedding */
  criticality?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route this process serves, as registered: what the API-inventory test compares with the OpenAPI document */
    servedRoutes: ServedRoute[];
  }
}

/** Records each route as it is added; register it before any route so none is missed. */
export const routeInventory = fp(
  async (app: FastifyInstance) => {
    const routes: ServedRoute[] = [];
    app.decorate('servedRoutes', routes);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide);
      const criticality = (route.config as { criticality?: string } | undefined)?.criticality;
      for (const method of methods) routes.push({ method, url: route.url, hidden, ...(criticality ? { criticality } : {}) });
    });
  },
  { name: 'floodgate-route-inventory', fastify: '5.x' },
);
