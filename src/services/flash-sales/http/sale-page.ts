import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { HttpApp } from '../../../platform/service.js';
import { DOCUMENT_SECURITY_HEADERS } from '../../../platform/http/security-headers.js';

// the same depth from src/ and from dist/, so the page is found in both
const WEB_SALE = fileURLToPath(new URL('../../../../web/sale/', import.meta.url));

interface Asset { path: string; file: string; type: string }

// /sale/sale.js and /sale/sale.css are static routes, so they win over /sale/:id
const ASSETS: Asset[] = [
  { path: '/sale/:id', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/sale/sale.js', file: 'sale.js', type: 'text/javascript; charset=utf-8' },
  { path: '/sale/sale.css', file: 'sale.css', type: 'text/css; charset=utf-8' },
];

// everything the page needs comes from this origin; nothing inline, nothing third-party, no form posts
export const SALE_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The waiting-room page at GET /sale/{id}. The page is the same for every sale and every shopper (it
 * reads the sale id from its address and everything else through the API), so it is public and
 * cacheable for a minute: a CDN or nginx can absorb the page loads of a sale's opening second.
 * Files are read once, on first request.
 */
export function registerSalePage(app: HttpApp): void {
  const loaded = new Map<string, Promise<Buffer>>();
  for (const asset of ASSETS) {
    app.get(asset.path, { schema: { hide: true } }, async (_req, reply) => {
      let body = loaded.get(asset.file);
      if (!body) {
        body = readFile(`${WEB_SALE}${asset.file}`);
        loaded.set(asset.file, body);
        body.catch(() => loaded.delete(asset.file));
      }
      reply.type(asset.type).header('cache-control', 'public, max-age=60').header('x-content-type-options', 'nosniff');
      if (asset.file === 'index.html') reply.header('content-security-policy', SALE_PAGE_CSP).headers(DOCUMENT_SECURITY_HEADERS);
      return body;
    });
  }
}
