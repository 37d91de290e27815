import { isUuid } from '../../platform/ids.js';
import type { SaleRecord, SaleStore } from './storage/sale-store.js';

export const MAX_PAGE_SIZE = 100;

export type ListSalesResult = { ok: true; items: SaleRecord[]; nextCursor: string | null } | { ok: false; code: 'FLASH_SALE_INVALID_CURSOR' };

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return isUuid(id) ? id : undefined;
}

/** Every sale, newest first (ids are uuidv7), one keyset page at a time: the admin's view. */
export const makeListSales =
  ({ sales }: { sales: SaleStore }) =>
  async ({ limit, cursor }: { limit: number; cursor?: string }): Promise<ListSalesResult> => {
    const beforeId = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !beforeId) return { ok: false, code: 'FLASH_SALE_INVALID_CURSOR' };
    const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
    const rows = await sales.list({ limit: size + 1, ...(beforeId ? { beforeId } : {}) });
    const items = rows.slice(0, size);
    const last = items[items.length - 1];
    return { ok: true, items, nextCursor: rows.length > size && last ? encodeCursor(last.id) : null };
  };
