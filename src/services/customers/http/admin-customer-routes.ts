import { z } from 'zod';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import type { HttpApp } from '../../../platform/service.js';
import type { makeDeactivateCustomer } from '../deactivate-customer.js';
import { CustomersErrors } from '../errors.js';

export interface AdminCustomerRoutesDeps {
  deactivateCustomer: ReturnType<typeof makeDeactivateCustomer>;
}

const security: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];

export function registerAdminCustomerRoutes(app: HttpApp, deps: AdminCustomerRoutesDeps) {
  app.post(
    '/v1/admin/customers/:id/deactivate',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        security,
        summary: 'Deactivate an account: no more logins or refreshes, and its access tokens stop working within a second',
        params: z.strictObject({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const result = await deps.deactivateCustomer(req.params.id, auditContextOf(req));
      if (!result.ok) throw CustomersErrors.from(result);
      return reply.code(204).send();
    },
  );
}
