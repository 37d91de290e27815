import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs.js';
import { startTestShop, type TestShop } from '../../test/support/shop.js';
import { loadConfig } from '../config.js';
import { startDocsProcess, type RunningDocs } from './docs-process.js';

const tempDir = tempDirs('floodgate-docs-');

type Document = { paths: Record<string, Record<string, { operationId: string }>> };

describe('floodgate serve docs', () => {
  let shop: TestShop;
  let docs: RunningDocs;
  let dataDir: string;

  beforeAll(async () => {
    shop = await startTestShop('pglite');
    // a data dir that must still not exist afterwards: the docs process opens no embedded database either
    dataDir = join(tempDir(), 'never-created');
    // nothing but the defaults: no DATABASE_URL, REDIS_URL, AMQP_URL, service key or key-encryption key
    docs = await startDocsProcess({ config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', FLOODGATE_DATA_DIR: dataDir, SHUTDOWN_IDLE_GRACE_MS: '0' }) });
  });
  afterAll(async () => {
    await docs?.stop();
    await shop?.dispose();
  });

  const json = async (url: string) => {
    const res = await fetch(url);
    expect(res.status, url).toBe(200);
    return res.json() as Promise<Document>;
  };

  it("when both are asked for /v1/openapi.json, then the docs process answers the all-in-one's document", async () => {
    const [theirs, ours] = await Promise.all([json(`${shop.url}/v1/openapi.json`), json(`${docs.url}/v1/openapi.json`)]);
    expect(ours).toEqual(theirs);
    // the whole API, not one service's share of it
    expect(Object.keys(ours.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/auth/login', '/v1/carts', '/v1/checkout', '/v1/flash-sales/{id}/queue', '/v1/admin/audit', '/v1/admin/degradation']));
    expect(docs.operations).toBe(Object.values(ours.paths).reduce((n, methods) => n + Object.keys(methods).length, 0));
  });

  it("when /docs is opened, then the page and the document it loads are the all-in-one's", async () => {
    for (const path of ['/docs', '/docs/json']) {
      const [theirs, ours] = await Promise.all([fetch(`${shop.url}${path}`), fetch(`${docs.url}${path}`)]);
      expect(ours.status, path).toBe(200);
      expect(ours.headers.get('content-type'), path).toBe(theirs.headers.get('content-type'));
      expect(await ours.text(), path).toBe(await theirs.text());
    }
  });

  it('when the probes and /metrics are asked for with no backend configured, then they answer 200', async () => {
    expect((await fetch(`${docs.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${docs.url}/readyz`);
    expect(ready.status).toBe(200);
    // no ops token here, so the detail is shown: there is no dependency to check
    expect(await ready.json()).toEqual({ status: 'ready', checks: {} });
    const metrics = await fetch(`${docs.url}/metrics`);
    expect(metrics.status).toBe(200);
    // its own figures, labelled as this process; the modules' gauges (which would query a database) are not here
    const text = await metrics.text();
    expect(text).toContain('service="floodgate-docs"');
    expect(text).not.toContain('floodgate_orders{');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('when any operation of the document is called at the docs process, then it answers 404 ROUTE_NOT_FOUND problem+json', async () => {
    const doc = await json(`${docs.url}/v1/openapi.json`);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '0193a0e0-0000-7000-8000-000000000000') })));
    expect(operations.length).toBeGreaterThan(30);
    const answers = await Promise.all(
      operations.map(async ({ method, path }) => {
        const res = await fetch(`${docs.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
        });
        const body = (await res.json()) as { code?: string };
        return `${method} ${path} ${res.status} ${res.headers.get('content-type')?.split(';')[0]} ${body.code}`;
      }),
    );
    expect(answers).toEqual(operations.map(({ method, path }) => `${method} ${path} 404 application/problem+json ROUTE_NOT_FOUND`));
  });
});
