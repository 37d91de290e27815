import type { ApiKeyRecord, CustomerStore } from './storage/customer-store.js';

export interface ApiKeyPage {
  items: ApiKeyRecord[];
  nextCursor: string | null;
}

// the cursor is the last id seen; base64url keeps it opaque so clients do not build it themselves
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export const makeListApiKeys =
  ({ store }: { store: CustomerStore }) =>
  async (input: { limit: number; cursor?: string }): Promise<ApiKeyPage> => {
    const rows = await store.listApiKeys({ limit: input.limit + 1, ...(input.cursor ? { afterId: decodeCursor(input.cursor) } : {}) });
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null };
  };
