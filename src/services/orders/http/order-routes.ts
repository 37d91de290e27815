import type { AuditContext } from '../../../platform/audit/audit-log.js';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import { requirePrincipal } from '../../../platform/http/auth-hook.js';
import type { HttpApp } from '../../../platform/service.js';
import type { ChangeOrderResult } from '../change-order-status.js';
import { OrdersErrors } from '../errors.js';
import { operation, type OperationDoc } from '../../../platform/http/api-operation.js';
import type { makeGetOrder } from '../get-order.js';
import type { makeListOrders } from '../list-orders.js';
import {
  adminActionBodySchema,
  listOrdersQuerySchema,
  orderDetailSchema,
  orderIdParamsSchema,
  orderListSchema,
  orderViewSchema,
  toOrderDetail,
  toOrderView,
} from './order-schemas.js';

/** an admin's order change; `by` is who acts, for the audit log */
type AdminOrderChange = (by: AuditContext, orderId: string, reason?: string) => Promise<ChangeOrderResult>;

export interface OrderRouteDeps {
  getOrder: ReturnType<typeof makeGetOrder>;
  listOrders: ReturnType<typeof makeListOrders>;
  cancelOrder: AdminOrderChange;
  refundOrder: AdminOrderChange;
  fulfillOrder: AdminOrderChange;
}


function unwrap(orderId: string, result: ChangeOrderResult) {
  if (result.ok) return toOrderView(result.order);
  switch (result.code) {
    case 'ORDERS_NOT_FOUND':
      throw OrdersErrors.notFound(orderId);
    case 'ORDERS_ILLEGAL_TRANSITION':
      throw OrdersErrors.illegalTransition(orderId, result.from, result.to);
    case 'ORDERS_BUSY':
      throw OrdersErrors.busy(orderId);
    case 'ORDERS_REFUND_UNCONFIRMED':
      throw OrdersErrors.refundUnconfirmed(orderId);
  }
}

export function registerOrderRoutes(app: HttpApp, deps: OrderRouteDeps) {
  app.get(
    '/v1/orders/:id',
    {
      // high, with carts: the buyer polls it right after paying until it leaves pending (bench:overload shed
      // 80–97 % of these polls as normal at 2–3× load, while the checkouts they follow all went through)
      config: { auth: 'any', criticality: 'high' },
      schema: {
        ...operation('orders', {
          operationId: 'getOrder',
          summary: 'One of your orders, with its status history',
          description: 'Status is one of pending, paid, payment_failed, cancelled, refunded, fulfilled; poll after placeOrder until it leaves pending. Another customer\'s order is answered 404 like an unknown one.',
          errors: [OrdersErrors.notFound('0193…')],
        }),
        params: orderIdParamsSchema,
        response: { 200: orderDetailSchema },
      },
    },
    async (req) => {
      const order = await deps.getOrder(req.params.id, requirePrincipal(req));
      if (!order) throw OrdersErrors.notFound(req.params.id);
      return toOrderDetail(order);
    },
  );

  app.get(
    '/v1/orders',
    {
      config: { auth: 'any', criticality: 'low' },
      schema: {
        ...operation('orders', {
          operationId: 'listOrders',
          summary: 'Your orders, newest first',
          description: 'Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page).',
          errors: [OrdersErrors.invalidCursor()],
        }),
        querystring: listOrdersQuerySchema,
        response: { 200: orderListSchema },
      },
    },
    async (req) => {
      const result = await deps.listOrders(requirePrincipal(req).customerId, req.query);
      if (!result.ok) throw OrdersErrors.invalidCursor();
      return { items: result.items.map(toOrderView), nextCursor: result.nextCursor };
    },
  );

  const adminAction = (action: 'cancel' | 'refund' | 'fulfill', doc: OperationDoc, run: OrderRouteDeps['cancelOrder']) =>
    app.post(
      `/v1/admin/orders/:id/${action}`,
      {
        config: { auth: 'admin' },
        schema: { ...operation('orders', doc), params: orderIdParamsSchema, body: adminActionBodySchema, response: { 200: orderViewSchema } },
      },
      async (req) => unwrap(req.params.id, await run(auditContextOf(req), req.params.id, req.body?.reason)),
    );

  const changeErrors = [OrdersErrors.notFound('0193…'), OrdersErrors.illegalTransition('0193…', 'cancelled', 'fulfilled'), OrdersErrors.busy('0193…')];
  const viaPsp = [...changeErrors, OrdersErrors.refundUnconfirmed('0193…')];
  adminAction('cancel', {
    operationId: 'cancelOrder',
    summary: 'Cancel an order: a pending one releases its stock; a paid one is refunded and restocked',
    description: 'An optional `reason` is kept in the audit log. Admin only; audited.',
    errors: viaPsp,
  }, deps.cancelOrder);
  adminAction('refund', {
    operationId: 'refundOrder',
    summary: 'Refund a paid or fulfilled order in full (no restock)',
    description: 'The refund is confirmed by the payment provider before the order changes; when it is not, the answer is 503 and the order is unchanged. Admin only; audited.',
    errors: viaPsp,
  }, deps.refundOrder);
  adminAction('fulfill', { operationId: 'fulfillOrder', summary: 'Mark a paid order as fulfilled (shipped)', description: 'Admin only; audited.', errors: changeErrors }, deps.fulfillOrder);
}
