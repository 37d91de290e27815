import { z } from 'zod';
import type { OrderWithHistory } from '../get-order.js';
import { MAX_PAGE_SIZE } from '../list-orders.js';
import { ORDER_STATUSES } from '../order-state-machine.js';
import type { Order } from '../storage/order-store.js';
import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import { CARD_DATA, safeText } from '../../../platform/http/safe-text.js';
import { ISO_COUNTRIES } from './iso-countries.js';

const text = (max: number) => safeText().trim().min(1).max(max);

export const shippingAddressSchema = z.strictObject({
  name: text(200),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  postalCode: text(20),
  country: safeText().refine((c) => ISO_COUNTRIES.has(c), 'an ISO 3166-1 alpha-2 country code in capitals, such as GB'),
}).superRefine((address, ctx) => {
  // each line passed on its own; a number split across the two lines is still card data
  if (containsCardNumber([address.line1, address.line2])) ctx.addIssue({ code: 'custom', path: ['line2'], message: `line1 and line2 together ${CARD_DATA}` });
});

/**
 * Checkout from a cart (`cartId`) or from a flash-sale reservation (`reservationId`): exactly one
 * of them. Both, or neither, is a 400 naming the field to drop or to add.
 */
export const checkoutBodySchema = z.strictObject({
  cartId: z.uuid().optional(),
  reservationId: z.uuid().optional(),
  email: safeText().pipe(z.email().max(254)).optional().describe("Where the order confirmation goes. Required for guests; a registered customer's defaults to the account email."),
  shippingAddress: shippingAddressSchema,
  paymentToken: safeText().regex(/^tok_[a-z0-9_]{1,40}$/, 'a payment token from the PSP, such as tok_visa'),
}).superRefine((body, ctx) => {
  if (body.cartId !== undefined && body.reservationId !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['reservationId'], message: 'give either cartId or reservationId, not both' });
  } else if (body.cartId === undefined && body.reservationId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['cartId'], message: 'required: the cart to check out (or reservationId, a flash-sale reservation)' });
  }
}).meta({
  examples: [{
    cartId: '0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    paymentToken: 'tok_visa',
  }],
});
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const idempotencyHeadersSchema = z.object({
  // kept with the saved answer, so it gets the card check too
  'idempotency-key': safeText()
    .min(8)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters only')
    .describe('A unique string per logical request (a UUID is ideal); retries of that request reuse it.'),
});

// a malformed id is just another unknown order (404), the same answer as for someone else's order
export const orderIdParamsSchema = z.strictObject({ id: safeText().min(1).max(100) });

export const listOrdersQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: safeText({ cardCheck: false }).min(1).max(200).optional(),
});

// the body is optional: Fastify hands a bodiless POST over as null
export const adminActionBodySchema = z.strictObject({ reason: safeText().regex(/^[a-z0-9_]{1,60}$/, 'a short snake_case reason such as customer_request').optional() }).nullish();

const moneyView = z.object({ amount: z.number().int(), currency: z.string() });
const statusView = z.enum(ORDER_STATUSES);

export const acceptedSchema = z.object({ orderId: z.string(), status: z.literal('pending') });

export const orderViewSchema = z.object({
  id: z.string(),
  status: statusView,
  customerId: z.string(),
  email: z.string().nullable(),
  shippingAddress: z.object({ name: z.string(), line1: z.string(), line2: z.string().optional(), city: z.string(), postalCode: z.string(), country: z.string() }),
  lines: z.array(z.object({ variantId: z.string(), sku: z.string(), title: z.string(), quantity: z.number().int(), unitPrice: moneyView, lineTotal: moneyView })),
  total: moneyView,
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Order', description: 'An order and its status' });

export const orderDetailSchema = orderViewSchema.extend({
  history: z.array(z.object({ from: statusView.nullable(), to: statusView, reason: z.string().nullable(), at: z.string() })),
});

export const orderListSchema = z.object({ items: z.array(orderViewSchema), nextCursor: z.string().nullable() });

export const toOrderView = (order: Order): z.infer<typeof orderViewSchema> => ({
  id: order.id,
  status: order.status,
  customerId: order.customerId,
  email: order.email,
  shippingAddress: order.shippingAddress,
  lines: order.lines.map((l) => ({
    variantId: l.variantId,
    sku: l.sku,
    title: l.title,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    lineTotal: { amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency },
  })),
  total: order.total,
  createdAt: order.createdAt.toISOString(),
  updatedAt: order.updatedAt.toISOString(),
});

export const toOrderDetail = (order: OrderWithHistory): z.infer<typeof orderDetailSchema> => ({
  ...toOrderView(order),
  history: order.history.map((h) => ({ from: h.from, to: h.to, reason: h.reason, at: h.at.toISOString() })),
});
