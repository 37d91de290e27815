import { containsCardNumber } from '../http/card-data-guard.js';

/**
 * Values that are personal or secret whatever key they sit under, even inside a sentence such as
 * an error message: emails, JWTs, argon2 hashes and PSP payment tokens are replaced where they
 * stand; a text holding a card number is dropped whole (its digits may be spread across it).
 * Each pattern runs only after a cheap `includes` finds its marker: this runs on every string of every line.
 */
const PATTERNS: Array<{ marker: string; pattern: RegExp; censor: string }> = [
  { marker: '@', pattern: /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, censor: '[redacted:email]' },
  { marker: 'eyJ', pattern: /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g, censor: '[redacted:jwt]' },
  { marker: '$argon2', pattern: /\$argon2(?:id|i|d)\$[A-Za-z0-9+/=$,.-]*/g, censor: '[redacted:hash]' },
  { marker: 'tok_', pattern: /tok_[A-Za-z0-9_]*/g, censor: '[redacted:token]' },
];

export const PAN_CENSOR = '[redacted:pan]';

/** `text` with every email, JWT, argon2 hash and payment token replaced; a text holding a card number becomes a marker. */
export function redactText(text: string): string {
  if (text.length < 5) return text;
  let out = text;
  for (const { marker, pattern, censor } of PATTERNS) {
    if (out.includes(marker)) out = out.replace(pattern, censor);
  }
  return containsCardNumber(out) ? PAN_CENSOR : out;
}
