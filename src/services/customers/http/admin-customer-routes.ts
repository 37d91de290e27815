import { z } from 'zod';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import type { HttpApp } from '../../../platform/service.js';
import type { makeDeactivateCustomer } from '../deactivate-customer.js';
import { CustomersErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';

export interface AdminCustomerRoutesDeps {
  deactivateCustomer: ReturnType<typeof makeDeactivateCustomer>;
}

export function registerAdminCustomerRoutes(app: HttpApp, deps: AdminCustomerRoutesDeps) {
  app.post(
    '/v1/admin/customers/:id/deactivate',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('customers', {
          operationId: 'deactivateCustomer',
          summary: 'Deactivate an account: no more logins or refreshes, and its access tokens stop working within a second',
          description: 'Orders already placed are unaffected. Admin only; audited.',
          errors: [CustomersErrors.accountNotFound('0193…')],
        }),
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.undefined().describe('Deactivated') },
      },
    },
    async (req, reply) => {
      const result = await deps.deactivateCustomer(req.params.id, auditContextOf(req));
      if (!result.ok) throw CustomersErrors.from(result);
      return reply.code(204).send();
    },
  );
}
