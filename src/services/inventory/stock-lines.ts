import { z } from 'zod';
import type { StockLine } from './contract/inventory-client.js';

/** The most units one line (or one admin stock level) may name; keeps sums far from int4 overflow. */
export const MAX_UNITS = 10_000_000;

const uuid = z.uuid();

/** Ids reach the client from other services; a malformed one must read as "unknown", not as a database error. */
export const isUuid = (value: string) => uuid.safeParse(value).success;

/**
 * One line per variant, quantities summed. A non-positive or fractional quantity is a caller bug
 * (carts and flash sales validate quantities), so it throws rather than answering a business result.
 * Ids are uuids, which name one variant in either case: they are merged (and answered) in lower case, the
 * spelling PostgreSQL gives back, so two spellings of one variant never become two lines of one reservation.
 */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  if (lines.length === 0) throw new RangeError('a stock operation needs at least one line');
  const merged = new Map<string, number>();
  for (const { variantId, quantity } of lines) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError(`quantity of ${variantId} must be a positive integer, got ${quantity}`);
    const id = variantId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + quantity);
  }
  const result = [...merged].map(([variantId, quantity]) => ({ variantId, quantity }));
  const tooMany = result.find((l) => l.quantity > MAX_UNITS);
  if (tooMany) throw new RangeError(`quantity of ${tooMany.variantId} exceeds ${MAX_UNITS}`);
  return result;
}
