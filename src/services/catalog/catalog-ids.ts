import { createHash } from 'node:crypto';

import { isUuid } from '../../platform/ids.js';

/** `{idOrSlug}` and `category` accept either; slugs are never uuid-shaped (create-product refuses them). */
export const looksLikeUuid = isUuid;

// fixed namespace so the same name always yields the same id, on every machine
const DEMO_NAMESPACE = Buffer.from('6f1c2d3e4a5b4c6d8e7f9a0b1c2d3e4f', 'hex');

/**
 * RFC 9562 version-5 (SHA-1, name-based) UUID: deterministic ids let the demo seed produce the
 * same ids on every run, so docs, load tests and bookmarks keep working after a reset.
 */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(DEMO_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** URL-safe, lowercase, ascii: "Café Crème 500 g" → "cafe-creme-500-g". Never empty, never uuid-shaped. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/g, '');
  if (!slug) return 'product';
  return looksLikeUuid(slug) ? `p-${slug}` : slug;
}

/** what create-product accepts from an admin; uuid-shaped slugs would be read as ids */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
