import { z } from 'zod';
import { hasUnstorableCharacters } from '../../platform/http/safe-text.js';
import { parseIssuedInstant } from '../../platform/timestamps.js';
import { looksLikeUuid } from './catalog-ids.js';
import type { ProductKeyset } from './storage/catalog-store.js';

const id = z.string().refine(looksLikeUuid);
const createdAt = z.string().refine((s) => parseIssuedInstant(s) !== undefined);
// NUL and unpaired surrogates are what PostgreSQL cannot compare; anything else a stored name may hold
const name = z.string().max(1_000).refine((s) => !hasUnstorableCharacters(s));
// bigint columns, and JSON numbers beyond 2^53 are not exact
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// a decoded cursor is untrusted input: it must be exactly a keyset we could have issued, with every
// value inside the range its column holds, so nothing reaches SQL that PostgreSQL would refuse
const keysetSchema = z.discriminatedUnion('sort', [
  z.strictObject({ sort: z.literal('newest'), createdAt, id }),
  z.strictObject({ sort: z.enum(['price_asc', 'price_desc']), price: count, id }),
  z.strictObject({ sort: z.literal('name'), name, id }),
  z.strictObject({ sort: z.literal('relevance'), rank: count, id }),
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
