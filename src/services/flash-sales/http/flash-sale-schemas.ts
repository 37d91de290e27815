import { z } from 'zod';
import { safeText } from '../../../platform/http/safe-text.js';
import { moneySchema } from '../../../platform/money.js';
import type { SaleState } from '../get-sale.js';
import { MAX_PAGE_SIZE } from '../list-sales.js';
import type { SaleRecord } from '../storage/sale-store.js';

const instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with an offset, e.g. 2030-01-01T09:00:00Z' });

export const createSaleBodySchema = z
  .strictObject({
    variantId: z.uuid(),
    price: moneySchema,
    quantity: z.number().int().min(1).max(1_000_000),
    startsAt: instant,
    endsAt: instant,
    perCustomerLimit: z.number().int().min(1).max(1_000),
    admissionRatePerSecond: z.number().positive().max(100_000),
    reservationLeaseMs: z.number().int().min(10_000).max(3_600_000).optional().describe('how long a reservation holds its units before checkout (default 600000, 10 min)'),
    admissionTtlMs: z.number().int().min(5_000).max(600_000).optional().describe('how long an admission token lasts (default 60000)'),
    allowGuests: z.boolean().optional().describe('whether guest sessions may join the queue (default false)'),
  })
  .superRefine((b, ctx) => {
    if (Date.parse(b.endsAt) <= Date.parse(b.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    if (b.perCustomerLimit > b.quantity) ctx.addIssue({ code: 'custom', path: ['perCustomerLimit'], message: 'must not exceed quantity' });
  })
  .meta({
    examples: [{
      variantId: '0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10', price: { amount: 2900, currency: 'USD' }, quantity: 500, perCustomerLimit: 1, admissionRatePerSecond: 50,
      startsAt: '2027-01-15T10:00:00Z', endsAt: '2027-01-15T12:00:00Z',
    }],
  });
export type CreateSaleBody = z.infer<typeof createSaleBodySchema>;

// a malformed id is just another unknown sale (404)
export const saleIdParamsSchema = z.strictObject({ id: safeText({ cardCheck: false }).min(1).max(100) });
export const ticketParamsSchema = z.strictObject({
  id: safeText({ cardCheck: false }).min(1).max(100),
  ticket: safeText({ cardCheck: false }).min(1).max(100),
});

export const listSalesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: safeText({ cardCheck: false }).min(1).max(200).optional(),
});

export const reserveHeadersSchema = z.object({
  'idempotency-key': safeText()
    .min(8)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters only')
    .describe('A unique string per logical request (a UUID is ideal); retries of that request reuse it.'),
  'admission-token': safeText({ cardCheck: false }).max(2048).optional().describe('The admission token your admitted ticket was given'),
});
export const reserveBodySchema = z.strictObject({ quantity: z.number().int().min(1).max(1_000) });

const statusSchema = z.enum(['scheduled', 'live', 'sold_out', 'ended']);
const moneyView = z.object({ amount: z.number().int(), currency: z.string() });

export const publicSaleSchema = z.object({
  id: z.string(),
  status: statusSchema,
  paused: z.boolean(),
  remaining: z.number().int(),
  quantity: z.number().int(),
  price: moneyView,
  variantId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  perCustomerLimit: z.number().int(),
  admissionRatePerSecond: z.number(),
  allowGuests: z.boolean(),
  queue: z.object({ length: z.number().int(), admittedUpTo: z.number().int() }).nullable(),
  product: z.object({ id: z.string(), name: z.string(), variantTitle: z.string() }).nullable().describe('what is on sale (the waiting-room page shows it)'),
}).meta({ id: 'FlashSale', description: 'A flash sale as shoppers see it' });

export const adminSaleSchema = z.object({
  id: z.string(),
  variantId: z.string(),
  price: moneyView,
  quantity: z.number().int(),
  perCustomerLimit: z.number().int(),
  admissionRatePerSecond: z.number(),
  reservationLeaseMs: z.number().int(),
  admissionTtlMs: z.number().int(),
  allowGuests: z.boolean(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: statusSchema,
  paused: z.boolean(),
  allocationReservationId: z.string().nullable(),
  allocationReleased: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'AdminFlashSale', description: 'A flash sale with its settings, as admins see it' });

export const adminSaleDetailSchema = adminSaleSchema.extend({
  counters: z
    .object({ available: z.number().int(), held: z.number().int(), sold: z.number().int(), queueLength: z.number().int(), frontier: z.number().int(), unresolved: z.number().int() })
    .nullable()
    .describe('the counter store right now; null while it is not loaded'),
  reservations: z.object({ held: z.number().int(), ordered: z.number().int(), sold: z.number().int(), released: z.number().int(), expired: z.number().int() }).describe('units per reservation status in PostgreSQL'),
});

export const joinedSchema = z.object({
  ticket: z.string(),
  position: z.number().int(),
  retryAfterMs: z.number().int().describe('wait this long before the first poll (the same model as a poll answer\'s retryAfterMs)'),
});
export const pollSchema = z.object({
  state: z.enum(['waiting', 'admitted', 'sold_out']),
  position: z.number().int(),
  retryAfterMs: z.number().int(),
  admissionToken: z.string().optional(),
  admissionExpiresAt: z.string().optional(),
});
export const reservedSchema = z.object({ reservationId: z.string(), expiresAt: z.string() });

export const toAdminSale = (s: SaleRecord): z.infer<typeof adminSaleSchema> => ({
  id: s.id,
  variantId: s.variantId,
  price: s.price,
  quantity: s.quantity,
  perCustomerLimit: s.perCustomerLimit,
  admissionRatePerSecond: s.admissionRatePerSecond,
  reservationLeaseMs: s.reservationLeaseMs,
  admissionTtlMs: s.admissionTtlMs,
  allowGuests: s.allowGuests,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  status: s.status,
  paused: s.paused,
  allocationReservationId: s.allocationReservationId,
  allocationReleased: s.allocationReleasedAt !== null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export const toPublicSale = ({ sale, status, remaining, queue, product }: SaleState): z.infer<typeof publicSaleSchema> => ({
  id: sale.id,
  status,
  paused: sale.paused,
  remaining,
  quantity: sale.quantity,
  price: sale.price,
  variantId: sale.variantId,
  startsAt: sale.startsAt.toISOString(),
  endsAt: sale.endsAt.toISOString(),
  perCustomerLimit: sale.perCustomerLimit,
  admissionRatePerSecond: sale.admissionRatePerSecond,
  allowGuests: sale.allowGuests,
  queue,
  product,
});
