import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendRouteHook } from './route-hooks.js';
import { LRUCache } from 'lru-cache';
import type { AuditLog } from '../audit/audit-log.js';
import { auditContextOf } from './audit-context.js';

const MINUTE_MS = 60_000;

/**
 * Records `api_key.used` at most once per key per calendar minute: the in-process cache spares
 * the database most repeats, and the entry's dedupe key makes the database refuse the rest, so
 * several processes together still write one entry per key per minute.
 */
export function registerApiKeyUseAudit(app: FastifyInstance, audit: AuditLog, clock: () => Date = () => new Date()) {
  const seen = new LRUCache<string, true>({ max: 10_000, ttl: MINUTE_MS });
  // only where a principal can exist (routes with `auth`), after the auth hook (its onRoute runs first)
  const recordUse = async (req: FastifyRequest) => {
    const by = auditContextOf(req);
    const minute = Math.floor(clock().getTime() / MINUTE_MS);
    const dedupeKey = `api_key.used:${by.actor.id}:${minute}`;
    if (seen.has(dedupeKey)) return;
    seen.set(dedupeKey, true);
    try {
      await audit.record({ ...by, action: 'api_key.used', target: { type: 'api_key', id: by.actor.id ?? '' }, details: { route: req.routeOptions.url ?? req.url, method: req.method }, dedupeKey });
    } catch (err) {
      // a failed write was logged in full by the audit log; the integration's request still runs,
      // and the next request of this minute tries again
      seen.delete(dedupeKey);
      req.log.error({ err }, 'api key use not audited');
    }
  };
  // callback-style: a request without an API key (nearly all) costs no promise here
  const onRequest = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.principal?.via !== 'api_key') return done();
    recordUse(req).then(() => done(), done);
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.auth) appendRouteHook(route, 'onRequest', onRequest);
  });
}
