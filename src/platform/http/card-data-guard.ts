/** 13–19 digits, optionally grouped by single spaces or dashes: the shape of a primary account number. */
const CARD_NUMBER = /(?:\d[ -]?){12,18}\d/;

/**
 * True when any string or number anywhere in `value` looks like a card number. The API and the
 * fake PSP only ever take PSP tokens: card data must never reach our logs or tables, not even by
 * mistake in an address line.
 */
export function containsCardNumber(value: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return CARD_NUMBER.test(value);
  if (typeof value === 'number') return CARD_NUMBER.test(String(Math.trunc(Math.abs(value))));
  if (Array.isArray(value)) return value.some((v) => containsCardNumber(v, depth + 1));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsCardNumber(v, depth + 1));
  return false;
}
