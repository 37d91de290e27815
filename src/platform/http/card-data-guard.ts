import { isUuid } from '../ids.js';

/**
 * 13–19 digits, optionally grouped by single spaces or dashes, standing on their own (not inside
 * a longer alphanumeric run such as an id): the shape of a primary account number (PAN).
 */
const CANDIDATE = /(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])/g;

/** The Luhn checksum every card number carries; most digit runs that merely look like one fail it. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** uuids anywhere in a text, e.g. `ch_<uuid>`: their all-digit groups can look like a dashed card number */
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function textHasCardNumber(text: string): boolean {
  // our own ids (uuids) can hold long digit runs; they are never card data
  if (isUuid(text)) return false;
  for (const match of text.replace(UUID_ANYWHERE, ' ').matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}

/**
 * True when any string or number anywhere in `value` looks like a card number. The API and the
 * fake PSP only ever take PSP tokens: card data must never reach our logs or tables, not even by
 * mistake in an address line.
 */
export function containsCardNumber(value: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return textHasCardNumber(value);
  if (typeof value === 'number') return Number.isInteger(value) && textHasCardNumber(String(Math.abs(value)));
  if (Array.isArray(value)) return value.some((v) => containsCardNumber(v, depth + 1));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsCardNumber(v, depth + 1));
  return false;
}
