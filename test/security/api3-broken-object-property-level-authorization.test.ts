import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, type ApiResponse } from '../support/api.js';
import { changedTables, createFingerprinter, type Fingerprint } from '../support/database-fingerprint.js';
import { useTestShop } from '../support/shop.js';
import { operationsOf, type Operation } from './fuzz/fuzz-requests.js';

/** Properties only the server sets: ownership, roles, lifecycle, money, stock and timestamps. */
const SERVER_ONLY = ['id', 'customerId', 'role', 'status', 'price', 'total', 'subtotal', 'available', 'reserved', 'onHand', 'createdAt', 'updatedAt', 'passwordHash', 'isAdmin', 'orderId', 'keyHash'];

/** What a response must never carry, at any depth: credentials' hashes, private keys, card data. */
const NEVER_ANSWERED = ['passwordHash', 'password_hash', 'password', 'keyHash', 'key_hash', 'tokenHash', 'token_hash', 'privateKey', 'private_key', 'd', 'paymentToken', 'payment_token', 'cardNumber'];

function keysDeep(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.add(k); keysDeep(v, out); }
  return out;
}

/**
 * OWASP API3:2023 (broken object property level authorization): mass assignment on every write
 * route, and excessive data exposure on every answer a normal shopping trip and admin session see.
 */
describe('API3 broken object property level authorization', () => {
  const ctx = useTestShop('pglite');
  let operations: Operation[];
  let fingerprint: () => Promise<Fingerprint>;
  let ids: Record<string, string>;
  let customer: { token: string; email: string };

  beforeAll(async () => {
    const { api, shopper, admin } = ctx;
    customer = await shopper.register();
    const product = await shopper.createProduct(admin, { stock: 20 });
    const paidCart = await shopper.cartWith(customer.token, product.variantId);
    const order = await shopper.settledOrder(customer.token, (await shopper.checkout(customer.token, paidCart)).body.orderId);
    const cartId = await shopper.cartWith(customer.token, product.variantId);
    const cart = await api.get(`/v1/carts/${cartId}`, { token: customer.token });
    const session = await api.post('/v1/auth/register', { email: `r-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Refresher' });
    const saleProduct = await shopper.createProduct(admin, { stock: 10 });
    const sale = await api.post('/v1/admin/flash-sales', flashSaleBody(saleProduct.variantId, 5), { token: admin });
    ids = {
      cartId, itemId: cart.body.items[0].id, productId: product.productId, variantId: product.variantId, orderId: order.id as string,
      categoryId: (await api.get('/v1/categories')).body.items[0].id, refreshToken: session.body.refreshToken,
      saleId: sale.body.id, saleVariantId: saleProduct.variantId,
    };
    operations = operationsOf((await api.get('/v1/openapi.json')).body);
    fingerprint = await createFingerprinter(ctx.shop.database);
  });

  const flashSaleBody = (variantId: string, quantity: number) => ({
    variantId, price: { amount: 100, currency: 'USD' }, quantity, perCustomerLimit: 1, admissionRatePerSecond: 1,
    startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });

  /** A body each write route accepts, so that one added property is the only thing wrong with it. */
  const validBodies = (): Record<string, { path?: string; body: Record<string, unknown>; nested?: string }> => ({
    'POST /v1/auth/register': { body: { email: `m-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Mass' } },
    'POST /v1/auth/login': { body: { email: customer.email, password: 'a-long-password-1' } },
    'POST /v1/auth/refresh': { body: { refreshToken: ids.refreshToken! } },
    'POST /v1/auth/logout': { body: { refreshToken: ids.refreshToken! } },
    'POST /v1/admin/api-keys': { body: { name: 'integration' } },
    'POST /v1/admin/categories': { body: { slug: `c-${randomUUID().slice(0, 8)}`, name: 'Coats' } },
    'POST /v1/admin/products': { body: { name: 'Coat', categoryId: ids.categoryId, variants: [{ sku: `S-${randomUUID().slice(0, 8)}`, title: 'M', price: { amount: 100, currency: 'USD' } }] }, nested: 'variants.0' },
    'PATCH /v1/admin/products/{id}': { path: `/v1/admin/products/${ids.productId}`, body: { name: 'Renamed coat' } },
    'PUT /v1/admin/inventory/{variantId}': { path: `/v1/admin/inventory/${ids.variantId}`, body: { onHand: 20 } },
    'POST /v1/carts': { body: {} },
    'POST /v1/carts/{id}/items': { path: `/v1/carts/${ids.cartId}/items`, body: { variantId: ids.variantId, quantity: 1 } },
    'PATCH /v1/carts/{id}/items/{itemId}': { path: `/v1/carts/${ids.cartId}/items/${ids.itemId}`, body: { quantity: 2 } },
    'POST /v1/checkout': { body: { cartId: ids.cartId, shippingAddress: ADDRESS, paymentToken: 'tok_visa' }, nested: 'shippingAddress' },
    'POST /v1/admin/orders/{id}/cancel': { path: `/v1/admin/orders/${ids.orderId}/cancel`, body: {} },
    'POST /v1/admin/orders/{id}/refund': { path: `/v1/admin/orders/${ids.orderId}/refund`, body: {} },
    'POST /v1/admin/orders/{id}/fulfill': { path: `/v1/admin/orders/${ids.orderId}/fulfill`, body: {} },
    'POST /v1/admin/flash-sales': { body: flashSaleBody(ids.saleVariantId!, 1), nested: 'price' },
    'POST /v1/admin/flash-sales/{id}/pause': { path: `/v1/admin/flash-sales/${ids.saleId}/pause`, body: {} },
    'POST /v1/admin/flash-sales/{id}/resume': { path: `/v1/admin/flash-sales/${ids.saleId}/resume`, body: {} },
    'POST /v1/admin/flash-sales/{id}/end': { path: `/v1/admin/flash-sales/${ids.saleId}/end`, body: {} },
    'POST /v1/flash-sales/{id}/queue': { path: `/v1/flash-sales/${ids.saleId}/queue`, body: {} },
    'POST /v1/flash-sales/{id}/reservations': { path: `/v1/flash-sales/${ids.saleId}/reservations`, body: { quantity: 1 } },
    'PUT /v1/admin/degradation/{switch}': { path: '/v1/admin/degradation/search', body: { mode: 'auto' } },
  });

  const send = (op: Operation, path: string, body: unknown): Promise<ApiResponse> =>
    ctx.api.call(op.method, path, body, {
      token: op.path.startsWith('/v1/admin') ? ctx.admin : customer.token,
      headers: op.parameters.some((p) => p.name === 'idempotency-key') ? { 'idempotency-key': randomUUID() } : {},
    });

  it('when a client adds a property only the server may set, on any write route and in nested objects, then it is refused with 400 naming that property and nothing is written', async () => {
    const writes = operations.filter((op) => op.body);
    const bodies = validBodies();
    expect(writes.map((op) => `${op.method} ${op.path}`).filter((key) => !bodies[key])).toEqual([]); // a new write route needs an entry here
    const failures: string[] = [];
    let attempts = 0;
    // every attempt is refused, so the state after one is the state before the next
    let before = await fingerprint();
    for (const op of writes) {
      const { path = op.path, body, nested } = bodies[`${op.method} ${op.path}`]!;
      const allowed = new Set(Object.keys((op.body?.anyOf?.[0] ?? op.body)?.properties ?? {}));
      for (const property of SERVER_ONLY.filter((p) => !allowed.has(p))) {
        const targets: Array<[string, unknown]> = [[`body.${property}`, { ...body, [property]: property === 'role' ? 'admin' : 1 }]];
        if (nested) {
          const copy = structuredClone(body) as Record<string, unknown>;
          const [key, index] = nested.split('.');
          const inner = (index === undefined ? copy[key!] : (copy[key!] as unknown[])[Number(index)]) as Record<string, unknown>;
          if (!(property in inner)) {
            inner[property] = 1;
            targets.push([`body.${nested}.${property}`, copy]);
          }
        }
        for (const [field, attempt] of targets) {
          attempts++;
          const res = await send(op, path, attempt);
          const named = (res.body?.errors as Array<{ field: string }> | undefined)?.some((e) => e.field === field);
          const after = await fingerprint();
          const changed = changedTables(before, after);
          before = after;
          if (res.status !== 400 || !named || changed.length) failures.push(`${op.method} ${op.path} + ${field}: ${res.status} ${JSON.stringify(res.body?.errors ?? res.body).slice(0, 200)} wrote ${changed.join(', ') || 'nothing'}`);
        }
      }
    }
    expect(attempts).toBeGreaterThan(150);
    expect(failures).toEqual([]);
  }, 180_000);

  it('when a customer and an admin read everything a normal session shows, then no answer carries a password, hash, private key or payment token', async () => {
    const { api, admin } = ctx;
    const token = customer.token;
    const answers = await Promise.all([
      api.post('/v1/auth/register', { email: `e-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Exposed' }),
      api.post('/v1/auth/login', { email: customer.email, password: 'a-long-password-1' }),
      api.get('/v1/me', { token }),
      api.get('/.well-known/jwks.json'),
      api.get(`/v1/carts/${ids.cartId}`, { token }),
      api.get(`/v1/orders/${ids.orderId}`, { token }),
      api.get('/v1/orders', { token }),
      api.get(`/v1/products/${ids.productId}`),
      api.get('/v1/products'),
      api.post('/v1/admin/api-keys', { name: 'exposure-check' }, { token: admin }),
      api.get('/v1/admin/api-keys', { token: admin }),
      api.get(`/v1/admin/inventory/${ids.variantId}`, { token: admin }),
      api.post('/v1/auth/guest'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 200, 201, 200, 200, 201]);
    const exposed = answers.flatMap((a, i) => [...keysDeep(a.body)].filter((k) => NEVER_ANSWERED.includes(k)).map((k) => `answer ${i}: ${k}`));
    expect(exposed).toEqual([]);
    // an order shows its owner's data back, never another customer's id or the payment token it was paid with
    expect(answers[5]!.body.customerId).toBe(answers[2]!.body.id);
    expect(JSON.stringify(answers[5]!.body)).not.toContain('tok_');
  });
});
