// OWASP API9:2023 Improper Inventory Management: forgotten, undocumented or shadow endpoints, old API
// versions left running, and documentation that lies about who may call what. The process's own route
// table (servedRoutes) is compared with the OpenAPI document both ways.
import { describe, expect, it } from 'vitest';
import { useTestShop } from '../support/shop.js';

interface OpenApi {
  info: { version: string };
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
}

/** Routes served on purpose without being in the API document, each with the reason. */
const INTERNAL: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /^OPTIONS \*$/, why: 'CORS preflight (answers only for CORS_ORIGINS)' },
  { pattern: /^GET \/(healthz|readyz)$/, why: 'liveness and readiness probes' },
  { pattern: /^GET \/metrics$/, why: 'Prometheus scrape (FLOODGATE_OPS_TOKEN)' },
  { pattern: /^GET \/ops(\/.*)?$/, why: 'live operations page and its data (FLOODGATE_OPS_TOKEN for the data)' },
  { pattern: /^GET \/docs(\/.*)?$/, why: 'Swagger UI and its copy of the document' },
  { pattern: /^GET \/sale\/(\{id\}|sale\.js|sale\.css)$/, why: 'the flash-sale waiting-room page and its script and styles (static, public)' },
  { pattern: /^GET \/v1\/openapi\.json$/, why: 'the API document itself' },
];

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('API9 improper inventory management', () => {
  const ctx = useTestShop('pglite');
  const spec = async () => (await ctx.api.get<OpenApi>('/v1/openapi.json')).body;
  const documented = async () => new Set(Object.entries((await spec()).paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));

  it('when every route the process serves is listed, then each is in the OpenAPI document or explicitly internal', async () => {
    const doc = await documented();
    const served = ctx.shop.routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${toOpenApiPath(r.url)}`);
    expect(served.length).toBeGreaterThan(30);
    const unaccounted = served.filter((route) => !doc.has(route) && !INTERNAL.some((i) => i.pattern.test(route)));
    expect(unaccounted).toEqual([]);
  });

  it('when /v1 routes are listed, then none is undocumented (only the document itself is exempt) and none is hidden from the document', async () => {
    const doc = await documented();
    const shadow = ctx.shop.routes
      .filter((r) => r.method !== 'HEAD' && r.url.startsWith('/v1/') && r.url !== '/v1/openapi.json')
      .filter((r) => r.hidden || !doc.has(`${r.method} ${toOpenApiPath(r.url)}`))
      .map((r) => `${r.method} ${r.url}`);
    expect(shadow).toEqual([]);
  });

  it('when every documented operation is looked up, then the process serves it (no stale documentation)', async () => {
    const served = new Set(ctx.shop.routes.map((r) => `${r.method} ${toOpenApiPath(r.url)}`));
    expect([...(await documented())].filter((op) => !served.has(op))).toEqual([]);
  });

  it('when the document says an operation needs credentials, then calling it without any is 401; when it says none, the call is not refused as unauthenticated', async () => {
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries((await spec()).paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'post' && (path === '/v1/auth/guest' || path === '/v1/auth/register')) continue; // public writes: not worth a row each run
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000');
        const res = await ctx.api.call(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {});
        const needsCredentials = (op.security ?? []).length > 0;
        if (needsCredentials !== (res.status === 401)) wrong.push(`${method.toUpperCase()} ${path}: documented ${needsCredentials ? 'protected' : 'public'}, answered ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when old, future or alternative API prefixes are tried, then only /v1 exists', async () => {
    for (const path of ['/v0/products', '/v2/products', '/api/v1/products', '/v1.0/products', '/V1/products', '/v1/../v2/products', '/internal/products', '/debug', '/admin', '/v1/debug/vars', '/.env', '/package.json']) {
      const res = await fetch(`${ctx.shop.url}${path}`);
      expect(res.status, path).toBe(404);
    }
    const doc = await spec();
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/v1/') || p.startsWith('/.well-known/'))).toBe(true);
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('when the Swagger UI\'s copy of the document is read, then it is the same document as /v1/openapi.json (no second, richer inventory)', async () => {
    const docsCopy = await (await fetch(`${ctx.shop.url}/docs/json`)).json();
    expect(docsCopy).toEqual(await spec());
  });
});
