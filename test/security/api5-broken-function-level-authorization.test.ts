// OWASP API5:2023 Broken Function Level Authorization: every admin function, called by every caller
// that is not an admin. The routes come from /v1/openapi.json, so an admin route added later is
// attacked here without anyone editing this file. Authorization runs before the body is read, so
// each call carries a valid body and real ids: a missing check would really write.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api, type CallOptions } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { rowCounts } from './row-counts.js';

const postgres = await serviceAvailable('postgres');

interface Operation { method: string; path: string }

describe.skipIf(!postgres)('API5 broken function level authorization: every /v1/admin route as every non-admin (PostgreSQL, to count rows)', () => {
  let shop: TestShop;
  let api: Api;
  let databaseUrl: string;
  let operations: Operation[];
  let attackers: Record<string, { options: CallOptions; expected: number }>;
  let ids: Record<string, string>;
  let bodies: Record<string, unknown>;

  beforeAll(async () => {
    const fresh = await createPostgresTestDatabaseUrl();
    databaseUrl = fresh.url;
    shop = await startTestShop('postgres', {}, { databaseUrl });
    const dispose = shop.dispose;
    shop.dispose = async () => { await dispose(); await fresh.drop(); };
    api = createApi(shop.url);
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const customer = await shopper.register('Curious Customer');
    const guest = await shopper.guestToken();
    const product = await shopper.createProduct(admin, { stock: 10 });
    const order = await shopper.checkout(customer.token, await shopper.cartWith(customer.token, product.variantId, 1));
    // the payment saga writes rows (status history, outbox) on its own: let it finish before rows are counted
    await shopper.settledOrder(customer.token, order.body.orderId);
    const key = await api.post('/v1/admin/api-keys', { name: 'target key' }, { token: admin });
    const category = (await api.get('/v1/categories')).body.items?.[0]?.id ?? randomUUID();

    // a parameter name → a real object of that kind, so a route that forgot its check would act on it
    ids = { id: product.productId, variantId: product.variantId, orderId: order.body.orderId, apiKeyId: key.body.id };
    bodies = {
      'POST /v1/admin/api-keys': { name: 'stolen key' },
      'POST /v1/admin/categories': { slug: `hijack-${randomUUID().slice(0, 8)}`, name: 'Hijacked' },
      'POST /v1/admin/products': { name: 'Hijacked product', description: 'x', categoryId: category, variants: [{ sku: `H-${randomUUID().slice(0, 8)}`, title: 'x', price: { amount: 1, currency: 'USD' } }] },
      'PATCH /v1/admin/products/{id}': { name: 'Hijacked name' },
      'PUT /v1/admin/inventory/{variantId}': { onHand: 0 },
    };

    const spec = (await api.get('/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/v1/admin'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));

    attackers = {
      'anonymous': { options: {}, expected: 401 },
      'a guest': { options: { token: guest }, expected: 403 },
      'a registered customer': { options: { token: customer.token }, expected: 403 },
      // the bearer token decides when both are sent: the customer is refused as a customer
      'a customer who adds a made-up API key': { options: { token: customer.token, headers: { 'x-api-key': `fgk_${randomUUID()}` } }, expected: 403 },
      'a made-up API key': { options: { headers: { 'x-api-key': `fgk_${randomUUID()}` } }, expected: 401 },
      'a customer token sent as the API key': { options: { headers: { 'x-api-key': customer.token } }, expected: 401 },
      'a customer claiming admin in headers': { options: { token: customer.token, headers: { 'x-role': 'admin', 'x-forwarded-user': 'admin', 'x-original-url': '/v1/me' } }, expected: 403 },
    };
  }, 90_000);
  afterAll(() => shop?.dispose());

  const pathOf = (op: Operation) => op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (name === 'variantId') return ids.variantId!;
    if (op.path.includes('/orders/')) return ids.orderId!;
    if (op.path.includes('/api-keys/')) return ids.apiKeyId!;
    return ids.id!;
  });

  it('when the OpenAPI document is read, then it lists the admin functions this suite attacks', () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /v1/admin/api-keys', 'DELETE /v1/admin/api-keys/{id}', 'PUT /v1/admin/inventory/{variantId}', 'POST /v1/admin/orders/{id}/refund']));
  });

  it('when every non-admin caller calls every admin route with a valid request, then each is refused (401/403 problem+json) and no row changes', async () => {
    const before = await rowCounts(databaseUrl);
    const wrong: string[] = [];
    for (const op of operations) {
      for (const [who, { options, expected }] of Object.entries(attackers)) {
        const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : (bodies[`${op.method} ${op.path}`] ?? {});
        const res = await api.call(op.method, pathOf(op), body, { ...options, headers: { ...options.headers, 'idempotency-key': randomUUID() } });
        const problem = (res.headers.get('content-type') ?? '').includes('application/problem+json');
        if (res.status !== expected || !problem) wrong.push(`${op.method} ${op.path} as ${who}: ${res.status} (expected ${expected})`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts(databaseUrl)).toEqual(before);
    // and the objects they aimed at are as they were
    expect((await api.get(`/v1/products/${ids.id}`)).body.name).not.toBe('Hijacked name');
    expect((await api.get(`/v1/products/${ids.id}`)).body.variants[0].available).toBe(9);
  }, 120_000);

  it('when a customer sends an admin route with the method changed through override headers, then it is still refused', async () => {
    const customer = await createShopper(api).register('Override Customer');
    for (const header of ['x-http-method-override', 'x-http-method', 'x-method-override']) {
      const res = await api.post(`/v1/admin/api-keys/${ids.apiKeyId}`, {}, { token: customer.token, headers: { [header]: 'DELETE' } });
      expect(res.status, header).toBeGreaterThanOrEqual(400);
      expect(res.status, header).toBeLessThan(500);
    }
    const keys = await api.get('/v1/admin/api-keys', { token: await createShopper(api).adminToken(shop.admin) });
    expect((keys.body.items as Array<{ id: string; revokedAt: string | null }>).find((k) => k.id === ids.apiKeyId)?.revokedAt).toBeNull();
  });

  // the control: the very requests the attackers sent are ones an admin gets through, so "refused" above means refused
  it('when the admin sends the same requests, then they succeed', async () => {
    const admin = await createShopper(api).adminToken(shop.admin);
    for (const [route, body] of Object.entries(bodies)) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await api.call(method, pathOf({ method, path }), body, { token: admin });
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });
});
