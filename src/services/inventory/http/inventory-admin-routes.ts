import { z } from 'zod';
import type { AuditContext } from '../../../platform/audit/audit-log.js';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import type { HttpApp } from '../../../platform/service.js';
import { InventoryErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { makeGetStockLevel } from '../get-stock-level.js';
import type { makeSetStockLevel } from '../set-stock-level.js';
import { MAX_UNITS } from '../stock-lines.js';

export interface InventoryRouteDeps {
  getStockLevel: ReturnType<typeof makeGetStockLevel>;
  setStockLevel: (by: AuditContext, ...args: Parameters<ReturnType<typeof makeSetStockLevel>>) => ReturnType<ReturnType<typeof makeSetStockLevel>>;
}

const params = z.strictObject({ variantId: z.uuid() });
const stockLevel = z.object({
  variantId: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
}).meta({ id: 'StockLevel', description: 'The stock of one variant' });

export function registerInventoryAdminRoutes(app: HttpApp, { getStockLevel, setStockLevel }: InventoryRouteDeps) {
  app.get(
    '/v1/admin/inventory/:variantId',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('inventory', {
          operationId: 'getStockLevel',
          summary: 'Stock level of a variant',
          description: '`available` is `onHand` less the units reserved by checkouts in progress. Admin only.',
          errors: [InventoryErrors.notFound('0193…')],
        }),
        params,
        response: { 200: stockLevel },
      },
    },
    async (req) => {
      const result = await getStockLevel(req.params.variantId);
      if (!result.ok) throw InventoryErrors.notFound(req.params.variantId);
      return result.level;
    },
  );

  app.put(
    '/v1/admin/inventory/:variantId',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('inventory', {
          operationId: 'setStockLevel',
          summary: 'Set the units on hand of a variant (creates the stock level if missing)',
          description: 'An absolute count, so retrying it is safe. It cannot go below the units currently reserved. Admin only; audited.',
          errors: [InventoryErrors.belowReserved(2, 5)],
        }),
        params,
        body: z.strictObject({ onHand: z.number().int().min(0).max(MAX_UNITS) }),
        response: { 200: stockLevel },
      },
    },
    async (req) => {
      const result = await setStockLevel(auditContextOf(req), { variantId: req.params.variantId, onHand: req.body.onHand });
      if (!result.ok) throw InventoryErrors.belowReserved(req.body.onHand, result.reserved);
      return result.level;
    },
  );
}
