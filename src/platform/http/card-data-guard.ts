import creditCardType from 'credit-card-type';
import { isUuid } from '../ids.js';

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/**
 * What people (or attackers probing the guard) put between the digit groups of a card number:
 * every Unicode space (NBSP, thin space, ideographic space…), dashes of any kind, dots, slashes,
 * underscores and the invisible joiners that render as nothing.
 */
const SEPARATOR = String.raw`[\s\p{Zs}\p{Pd}._/\\\u00ad\u200b-\u200d\u2060\ufeff]`;
/** digit groups joined by separators: `4111 1111.1111/1111`, `4111111111111111` */
const DIGIT_CLUSTER = new RegExp(String.raw`\d+(?:${SEPARATOR}+\d+)*`, 'gu');
const DIGIT_GROUP = /\d+/g;

/** uuids anywhere in a text, e.g. `ch_<uuid>`: their all-digit groups can look like a dashed card number */
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const NON_ASCII = /[\u0080-\uffff]/;

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

/**
 * A number some card brand issues: its prefix belongs to a brand (credit-card-type's table of issuer ranges) and
 * its length is one that brand uses, and it passes Luhn. Luhn alone lets through one digit run in ten: a phone
 * number in an address line (`+49 1512 3456780`), an email's digits (`jo-0044123456789@…`), an EAN-13 barcode.
 * None of those begins with an issuer's range at an issued length, so a shopper typing them is not refused.
 */
function isIssuedCardNumber(digits: string): boolean {
  return passesLuhn(digits) && creditCardType(digits).some((brand) => brand.lengths.includes(digits.length));
}

function countAsciiDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * True when some consecutive groups of a cluster make 13–19 digits of an issued card number. A group is
 * never cut: a 20-digit run (a charge id's tail) is not a card number, and neither is any slice of it.
 */
function clusterHasCardNumber(groups: string[]): boolean {
  for (let start = 0; start < groups.length; start++) {
    let digits = '';
    for (let end = start; end < groups.length; end++) {
      digits += groups[end];
      if (digits.length > MAX_DIGITS) break;
      if (digits.length >= MIN_DIGITS && isIssuedCardNumber(digits)) return true;
    }
  }
  return false;
}

function textHasCardNumber(raw: string): boolean {
  // cheap exits first: this runs on every text field of every request and on log lines
  if (raw.length < MIN_DIGITS) return false;
  // NFKC turns full-width and other compatibility digits (４１１１) into ASCII ones
  const text = NON_ASCII.test(raw) ? raw.normalize('NFKC') : raw;
  if (countAsciiDigits(text) < MIN_DIGITS) return false;
  // our own ids (uuids) can hold long digit runs; they are never card data
  if (isUuid(text)) return false;
  for (const cluster of text.replace(UUID_ANYWHERE, '|').matchAll(DIGIT_CLUSTER)) {
    if (countAsciiDigits(cluster[0]) >= MIN_DIGITS && clusterHasCardNumber(cluster[0].match(DIGIT_GROUP) ?? [])) return true;
  }
  return false;
}

/** Adjacent text fields read as one line, so a number split across `line1` and `line2` is still one number. */
function adjacentTextsHaveCardNumber(values: unknown[]): boolean {
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1];
    const b = values[i];
    if (typeof a === 'string' && typeof b === 'string' && textHasCardNumber(`${a} ${b}`)) return true;
  }
  return false;
}

/**
 * True when any string or number anywhere in `value` looks like a card number, however it is
 * disguised (separators, full-width digits, glued to letters, split across adjacent fields). The API
 * and the fake PSP only ever take PSP tokens: card data must never reach our logs or tables, not
 * even by mistake in an address line.
 */
export function containsCardNumber(value: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return textHasCardNumber(value);
  if (typeof value === 'number') return Number.isInteger(value) && textHasCardNumber(String(Math.abs(value)));
  if (Array.isArray(value)) return value.some((v) => containsCardNumber(v, depth + 1)) || adjacentTextsHaveCardNumber(value);
  if (value && typeof value === 'object') {
    const values = Object.values(value);
    return values.some((v) => containsCardNumber(v, depth + 1)) || adjacentTextsHaveCardNumber(values);
  }
  return false;
}
