import type { RouteOptions } from 'fastify';

type RouteHookName = 'onRequest' | 'preValidation' | 'onSend' | 'onResponse';

/**
 * Adds `hook` to one route (from an `onRoute` hook), after any the route declared itself. A route-level
 * hook costs only the routes that need it, where an app-wide hook runs (and decides) on every request.
 */
export function appendRouteHook(route: RouteOptions, name: RouteHookName, hook: unknown): void {
  const existing = route[name] as unknown;
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<string, unknown>)[name] = [...list, hook];
}
