import { z } from 'zod';
import { isUuid } from '../ids.js';
import { CommonErrors } from '../http/app-error.js';
import { operation } from '../http/api-operation.js';
import type { HttpApp, ServiceModule } from '../service.js';
import { ACTOR_TYPES, AUDIT_ACTIONS, type ActorType, type AuditLog, type AuditQuery, type AuditRecord } from './audit-log.js';
import { auditMigrations } from './audit-migrations.js';

const ACTOR = new RegExp(`^(${ACTOR_TYPES.join('|')})(?::([A-Za-z0-9_-]{1,64}))?$`);
const TARGET = /^([a-z_]{1,32})(?::([A-Za-z0-9._-]{1,128}))?$/;

const querystring = z.strictObject({
  actor: z.string().regex(ACTOR, `<type> or <type>:<id>, type one of ${ACTOR_TYPES.join(', ')}`).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  target: z.string().regex(TARGET, '<type> or <type>:<id>, e.g. order:0190…').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

const entryView = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actor: z.object({ type: z.enum(ACTOR_TYPES), id: z.string().nullable() }),
  action: z.enum(AUDIT_ACTIONS),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  requestId: z.string().nullable(),
  clientIp: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const toView = (r: AuditRecord): z.infer<typeof entryView> => ({ ...r, occurredAt: r.occurredAt.toISOString() });

// the cursor is the last id seen; base64url keeps it opaque so clients do not build it themselves
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw CommonErrors.validation([{ field: 'query.cursor', message: 'not a cursor this list gave out' }]);
  return id;
};

function registerAuditRoutes(app: HttpApp, audit: AuditLog) {
  app.get(
    '/v1/admin/audit',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('operations', {
          operationId: 'listAuditEntries',
          summary: 'Audit log: admin actions and security events, newest first',
          description: 'Filter by `actor`, `action` and `target`. Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.',
        }),
        querystring,
        response: { 200: z.object({ items: z.array(entryView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const { actor, action, target, limit, cursor } = req.query;
      const [, actorType, actorId] = actor ? ACTOR.exec(actor)! : [];
      const [, targetType, targetId] = target ? TARGET.exec(target)! : [];
      const query: AuditQuery = {
        limit: limit + 1,
        ...(actorType ? { actor: { type: actorType as ActorType, ...(actorId ? { id: actorId } : {}) } } : {}),
        ...(action ? { action } : {}),
        ...(targetType ? { target: { type: targetType, ...(targetId ? { id: targetId } : {}) } } : {}),
        ...(cursor ? { beforeId: decodeCursor(cursor) } : {}),
      };
      const rows = await audit.list(query);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return reply.header('cache-control', 'no-store').send({ items: items.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null });
    },
  );
}

/** The audit log as a module: its schema's migrations and its admin route, hosted by any process. */
export function createAuditModule({ audit }: { audit: AuditLog }): ServiceModule<AuditLog> {
  return { name: 'audit', migrations: auditMigrations, routes: (app) => registerAuditRoutes(app, audit), client: audit, workers: [] };
}
