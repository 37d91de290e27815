import { z } from 'zod';
import { containsCardNumber } from './card-data-guard.js';

/**
 * C0 controls (NUL first: PostgreSQL refuses it in text and the request died as a 500), DEL, C1
 * controls and unpaired UTF-16 surrogates (they cannot be encoded as UTF-8, so a driver silently
 * turns them into U+FFFD or fails). Tab, LF and CR are allowed only where a field is multi-line.
 */
const UNPAIRED_SURROGATE = String.raw`[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;
const UNSAFE_SINGLE_LINE = new RegExp(String.raw`[\u0000-\u001f\u007f-\u009f]|${UNPAIRED_SURROGATE}`);
const UNSAFE_MULTI_LINE = new RegExp(String.raw`[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|${UNPAIRED_SURROGATE}`);
/** what PostgreSQL cannot hold in text at all */
const UNSTORABLE = new RegExp(String.raw`\u0000|${UNPAIRED_SURROGATE}`);

export const CONTROL_CHARACTERS = 'must not contain control characters (U+0000–U+001F, U+007F–U+009F) or unpaired surrogates';
export const CARD_DATA = 'looks like a card number; send a payment token such as tok_visa, never card data';

export interface SafeTextOptions {
  /** allow tab, LF and CR (descriptions); every other field is one line */
  multiline?: boolean;
  /** off only for secrets that are never stored or logged (a password is hashed, never kept) */
  cardCheck?: boolean;
}

/** True when `text` holds a character no text field accepts. */
export const hasUnsafeCharacters = (text: string, { multiline = false } = {}) =>
  (multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).test(text);

/** True when `text` holds a character PostgreSQL refuses in any text value (NUL, an unpaired surrogate). */
export const hasUnstorableCharacters = (text: string) => UNSTORABLE.test(text);

/**
 * The one string type for every text a client sends (body fields, query parameters, path
 * parameters, headers we keep): refuses control characters at the schema, so they answer 400
 * naming the field instead of failing in the database, and refuses anything that looks like a
 * card number, so no PAN is ever stored or logged. Chain as usual: `safeText().trim().min(1).max(200)`.
 */
export function safeText({ multiline = false, cardCheck = true }: SafeTextOptions = {}) {
  const text = z.string().refine((s) => !hasUnsafeCharacters(s, { multiline }), CONTROL_CHARACTERS);
  return cardCheck ? text.refine((s) => !containsCardNumber(s), CARD_DATA) : text;
}
