import { z } from 'zod';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import { CommonErrors } from '../../../platform/http/app-error.js';
import type { HttpApp } from '../../../platform/service.js';
import type { makeCreateApiKey } from '../create-api-key.js';
import { CustomersErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { makeListApiKeys } from '../list-api-keys.js';
import type { makeRevokeApiKey } from '../revoke-api-key.js';
import type { ApiKeyRecord } from '../storage/customer-store.js';
import { safeText } from '../../../platform/http/safe-text.js';

export interface ApiKeyRoutesDeps {
  createApiKey: ReturnType<typeof makeCreateApiKey>;
  listApiKeys: ReturnType<typeof makeListApiKeys>;
  revokeApiKey: ReturnType<typeof makeRevokeApiKey>;
}

const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.literal('admin'),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
}).meta({ id: 'ApiKey', description: 'An admin API key (never the key itself)' });

const toView = (k: ApiKeyRecord): z.infer<typeof apiKeyView> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  expiresAt: k.expiresAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});


export function registerApiKeyRoutes(app: HttpApp, deps: ApiKeyRoutesDeps) {
  app.post(
    '/v1/admin/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('customers', {
          operationId: 'createApiKey',
          summary: 'Create an admin API key',
          description: 'The answer is the only time the key itself is shown: it is stored hashed. Send it as `X-Api-Key`. An optional `expiresAt` (at most two years away) ends it. Admin only; audited.',
        }),
        body: z.strictObject({
          name: safeText().trim().min(1, 'required').max(100),
          /** optional; after it the key is refused (ISO 8601 with an offset, at most 2 years away) */
          expiresAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with an offset, e.g. 2030-01-01T00:00:00Z' }).optional(),
        }),
        // the only answer that ever carries the key: it is stored hashed
        response: { 201: apiKeyView.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const result = await deps.createApiKey(
        { name: req.body.name, ...(req.body.expiresAt ? { expiresAt: new Date(req.body.expiresAt) } : {}) },
        auditContextOf(req),
      );
      if (!result.ok) throw CommonErrors.validation([{ field: 'body.expiresAt', message: result.message }]);
      const { apiKey, key } = result;
      return reply.code(201).header('cache-control', 'no-store').send({ ...toView(apiKey), key });
    },
  );

  app.get(
    '/v1/admin/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('customers', {
          operationId: 'listApiKeys',
          summary: 'The admin API keys, newest first (never the keys themselves)',
          description: 'Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.',
        }),
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: safeText({ cardCheck: false }).min(1).max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(apiKeyView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const page = await deps.listApiKeys({ limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
      return { items: page.items.map(toView), nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/v1/admin/api-keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('customers', {
          operationId: 'revokeApiKey',
          summary: 'Revoke an admin API key',
          description: 'The key stops working at once. Admin only; audited.',
          errors: [CustomersErrors.apiKeyNotFound('0193…')],
        }),
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.undefined().describe('Revoked') },
      },
    },
    async (req, reply) => {
      const result = await deps.revokeApiKey(req.params.id, auditContextOf(req));
      if (!result.ok) throw CustomersErrors.from(result);
      return reply.code(204).send();
    },
  );
}
