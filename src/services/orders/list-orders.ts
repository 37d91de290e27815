import { isUuid } from '../../platform/ids.js';
import { parseIssuedInstant } from '../../platform/timestamps.js';
import type { Order, OrderCursor, OrderStore } from './storage/order-store.js';

export const MAX_PAGE_SIZE = 100;

export type ListOrdersResult =
  | { ok: true; items: Order[]; nextCursor: string | null }
  | { ok: false; code: 'ORDERS_INVALID_CURSOR' };

/** Opaque to clients; it names the last order of the page so the next page starts after it. */
export const encodeCursor = (c: OrderCursor) => Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');

/** undefined unless it is exactly a cursor we could have issued: a real instant PostgreSQL accepts and a uuid */
export function decodeCursor(cursor: string): OrderCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
  const [at, id] = decoded as unknown[];
  const createdAt = parseIssuedInstant(at);
  return createdAt && typeof id === 'string' && isUuid(id) ? { createdAt, id } : undefined;
}

/** The customer's own orders, newest first, one keyset page at a time. */
export const makeListOrders =
  ({ store }: { store: OrderStore }) =>
  async (customerId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<ListOrdersResult> => {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) return { ok: false, code: 'ORDERS_INVALID_CURSOR' };
    const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
    // one extra row says whether there is a next page without a count query
    const rows = await store.listByCustomer(customerId, { limit: size + 1, ...(after ? { after } : {}) });
    const items = rows.slice(0, size);
    const last = items[items.length - 1];
    return { ok: true, items, nextCursor: rows.length > size && last ? encodeCursor(last) : null };
  };
