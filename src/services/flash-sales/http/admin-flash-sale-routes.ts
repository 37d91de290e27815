import type { AuditContext } from '../../../platform/audit/audit-log.js';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import type { HttpApp } from '../../../platform/service.js';
import type { CreateSaleInput, CreateSaleResult } from '../create-sale.js';
import type { EndSaleResult } from '../end-sale.js';
import { FlashSaleErrors, flashSaleErrorOf } from '../errors.js';
import { operation, type OperationDoc } from '../../../platform/http/api-operation.js';
import type { SaleDetail } from '../get-sale-detail.js';
import type { ListSalesResult } from '../list-sales.js';
import type { SetSalePausedResult } from '../set-sale-paused.js';
import {
  adminSaleDetailSchema,
  adminSaleSchema,
  createSaleBodySchema,
  listSalesQuerySchema,
  saleIdParamsSchema,
  toAdminSale,
  type CreateSaleBody,
} from './flash-sale-schemas.js';
import { z } from 'zod';

export interface AdminFlashSaleRouteDeps {
  createSale: (by: AuditContext, input: CreateSaleInput) => Promise<CreateSaleResult>;
  listSales: (query: { limit: number; cursor?: string }) => Promise<ListSalesResult>;
  getSaleDetail: (id: string) => Promise<SaleDetail | null>;
  pauseSale: (by: AuditContext, id: string) => Promise<SetSalePausedResult>;
  resumeSale: (by: AuditContext, id: string) => Promise<SetSalePausedResult>;
  endSale: (by: AuditContext, id: string) => Promise<EndSaleResult>;
}


const toCreateSaleInput = (b: CreateSaleBody): CreateSaleInput => ({
  variantId: b.variantId,
  price: b.price,
  quantity: b.quantity,
  startsAt: new Date(b.startsAt),
  endsAt: new Date(b.endsAt),
  perCustomerLimit: b.perCustomerLimit,
  admissionRatePerSecond: b.admissionRatePerSecond,
  ...(b.reservationLeaseMs !== undefined ? { reservationLeaseMs: b.reservationLeaseMs } : {}),
  ...(b.admissionTtlMs !== undefined ? { admissionTtlMs: b.admissionTtlMs } : {}),
  ...(b.allowGuests !== undefined ? { allowGuests: b.allowGuests } : {}),
});

export function registerAdminFlashSaleRoutes(app: HttpApp, deps: AdminFlashSaleRouteDeps) {
  app.post(
    '/v1/admin/flash-sales',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('flash-sales', {
          operationId: 'createFlashSale',
          summary: 'Create a flash sale; its units are carved out of the variant\'s stock at once',
          description: 'The sale price is in the variant\'s currency. The units leave the variant\'s regular stock now and unsold ones go back when the sale ends. Admin only; audited. `Location` names the new sale.',
          errors: [FlashSaleErrors.endsInPast(), FlashSaleErrors.variantNotFound('0193…'), FlashSaleErrors.currencyMismatch('EUR'), FlashSaleErrors.insufficientStock('0193…', 3)],
        }),
        body: createSaleBodySchema,
        response: { 201: adminSaleSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.createSale(auditContextOf(req), toCreateSaleInput(req.body));
      if (!result.ok) throw flashSaleErrorOf(result, '');
      return reply.code(201).header('location', `/v1/admin/flash-sales/${result.sale.id}`).send(toAdminSale(result.sale));
    },
  );

  app.get(
    '/v1/admin/flash-sales',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('flash-sales', {
          operationId: 'listAllFlashSales',
          summary: 'Every flash sale, newest first',
          description: 'Includes ended and paused sales. Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.',
          errors: [FlashSaleErrors.invalidCursor()],
        }),
        querystring: listSalesQuerySchema,
        response: { 200: z.object({ items: z.array(adminSaleSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const result = await deps.listSales(req.query);
      if (!result.ok) throw FlashSaleErrors.invalidCursor();
      return { items: result.items.map(toAdminSale), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/v1/admin/flash-sales/:id',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('flash-sales', {
          operationId: 'getFlashSaleDetail',
          summary: 'One flash sale with its counters and reservations',
          description: 'Admin only.',
          errors: [FlashSaleErrors.notFound('0193…')],
        }),
        params: saleIdParamsSchema,
        response: { 200: adminSaleDetailSchema },
      },
    },
    async (req) => {
      const detail = await deps.getSaleDetail(req.params.id);
      if (!detail) throw FlashSaleErrors.notFound(req.params.id);
      return { ...toAdminSale(detail.sale), counters: detail.counters, reservations: detail.reservations };
    },
  );

  const action = (name: 'pause' | 'resume' | 'end', doc: OperationDoc, run: (by: AuditContext, id: string) => Promise<SetSalePausedResult | EndSaleResult>) =>
    app.post(
      `/v1/admin/flash-sales/:id/${name}`,
      // the body is optional and carries nothing: Fastify hands a bodiless POST over as null
      { config: { auth: 'admin' }, schema: { ...operation('flash-sales', doc), params: saleIdParamsSchema, body: z.strictObject({}).nullish(), response: { 200: adminSaleSchema } } },
      async (req) => {
        const result = await run(auditContextOf(req), req.params.id);
        if (!result.ok) throw flashSaleErrorOf(result, req.params.id);
        return toAdminSale(result.sale);
      },
    );

  const stateErrors = [FlashSaleErrors.notFound('0193…'), FlashSaleErrors.ended('0193…')];
  action('pause', {
    operationId: 'pauseFlashSale',
    summary: 'Pause a sale: joins still queue, admission stops, reservations are refused',
    description: 'The queue keeps its order; resumeFlashSale lets admission go on. Admin only; audited.',
    errors: stateErrors,
  }, deps.pauseSale);
  action('resume', { operationId: 'resumeFlashSale', summary: 'Resume a paused sale', description: 'Admin only; audited.', errors: stateErrors }, deps.resumeSale);
  action('end', {
    operationId: 'endFlashSale',
    summary: 'End a sale now; its unsold units go back to the shelf',
    description: 'Checkouts of its reservations are refused from then on (FLASH_SALE_ENDED). Admin only; audited.',
    errors: [FlashSaleErrors.notFound('0193…')],
  }, deps.endSale);
}
