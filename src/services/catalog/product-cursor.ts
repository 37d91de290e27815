import { z } from 'zod';
import { looksLikeUuid } from './catalog-ids.js';
import type { ProductKeyset } from './storage/catalog-store.js';

const id = z.string().refine(looksLikeUuid);

// a decoded cursor is untrusted input: it must be exactly a keyset we could have issued
const keysetSchema = z.discriminatedUnion('sort', [
  z.strictObject({ sort: z.literal('newest'), createdAt: z.iso.datetime(), id }),
  z.strictObject({ sort: z.enum(['price_asc', 'price_desc']), price: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id }),
  z.strictObject({ sort: z.literal('name'), name: z.string().max(1_000), id }),
  z.strictObject({ sort: z.literal('relevance'), rank: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id }),
]);

/** Opaque to clients: base64url of the keyset, so its shape can change without breaking them. */
export const encodeCursor = (keyset: ProductKeyset): string => Buffer.from(JSON.stringify(keyset), 'utf8').toString('base64url');

/** undefined for anything we did not issue: bad base64, bad JSON, wrong shape */
export function decodeCursor(cursor: string): ProductKeyset | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const result = keysetSchema.safeParse(parsed);
  return result.success ? result.data : undefined;
}
