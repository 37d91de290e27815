import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import { createOpsHistory } from './ops-history.js';
import { createOpsSummary } from './ops-summary.js';
import { DOCUMENT_SECURITY_HEADERS } from '../http/security-headers.js';

// a build carries its own copy of web/ (scripts/build.mjs), wherever it was built; the sources use the repository's
const WEB_OPS = [new URL('../../web/ops/', import.meta.url), new URL('../../../web/ops/', import.meta.url)].map((u) => fileURLToPath(u)).find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../web/ops/', import.meta.url));
const requireFromHere = createRequire(import.meta.url);

interface Asset { file: () => string; type: string; maxAgeSeconds: number }

const ASSETS: Record<string, Asset> = {
  '/ops': { file: () => `${WEB_OPS}index.html`, type: 'text/html; charset=utf-8', maxAgeSeconds: 0 },
  '/ops/ops.js': { file: () => `${WEB_OPS}ops.js`, type: 'text/javascript; charset=utf-8', maxAgeSeconds: 0 },
  '/ops/ops.css': { file: () => `${WEB_OPS}ops.css`, type: 'text/css; charset=utf-8', maxAgeSeconds: 0 },
  '/ops/vendor/uPlot.iife.min.js': { file: () => requireFromHere.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8', maxAgeSeconds: 86_400 },
  '/ops/vendor/uPlot.min.css': { file: () => requireFromHere.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8', maxAgeSeconds: 86_400 },
};

// everything the page needs comes from this process; nothing inline, nothing third-party
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/**
 * The live operations page at GET /ops, on every process: it loads /ops/history.json (the last 15 minutes)
 * on open, then polls /ops/summary.json once a second.
 * Files are read once, on first request, so a process that never serves the page never touches them.
 */
export function registerOpsPage(app: FastifyInstance, metrics: Metrics): void {
  const summary = createOpsSummary(metrics);
  const history = createOpsHistory(summary);
  const loaded = new Map<string, Promise<Buffer>>();
  app.addHook('onClose', async () => {
    history.stop();
    summary.stop();
  });

  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) => {
      let body = loaded.get(path);
      if (!body) {
        body = readFile(asset.file());
        loaded.set(path, body);
        body.catch(() => loaded.delete(path));
      }
      reply
        .type(asset.type)
        .header('cache-control', asset.maxAgeSeconds > 0 ? `public, max-age=${asset.maxAgeSeconds}` : 'no-cache')
        .header('x-content-type-options', 'nosniff');
      if (path === '/ops') reply.header('content-security-policy', CSP).headers(DOCUMENT_SECURITY_HEADERS);
      return body;
    });
  }

  app.get('/ops/summary.json', { config: { opsData: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return summary.sample();
  });

  // the last 15 minutes at 1 s, fetched once when the page opens
  app.get('/ops/history.json', { config: { opsData: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { samples: history.samples() };
  });
}
