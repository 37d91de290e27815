import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, useTestShop, type TestShop } from '../../test/support/shop.js';
import { createFloodgateClient, IDEMPOTENT_OPERATIONS } from './create-floodgate-client.js';
import { retryAfterMs } from './resilient-fetch.js';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

describe('the Floodgate client SDK against a running shop', () => {
  const ctx = useTestShop('pglite');

  it('when a guest shops with the client, then every call is typed, checkout gets an Idempotency-Key without asking and the order reaches paid', async () => {
    const admin = createFloodgateClient({ baseUrl: ctx.shop.url, session: { accessToken: ctx.admin } });
    const product = await ctx.shopper.createProduct(ctx.admin, { stock: 5 });
    const stock = await admin.GET('/v1/admin/inventory/{variantId}', { params: { path: { variantId: product.variantId } } });
    expect(stock.data?.available).toBe(5);

    const guest = await createFloodgateClient({ baseUrl: ctx.shop.url }).POST('/v1/auth/guest');
    expect(guest.response.status).toBe(201);
    const shopper = createFloodgateClient({ baseUrl: ctx.shop.url, session: { accessToken: guest.data!.accessToken } });
    const cart = await shopper.POST('/v1/carts', { body: {} });
    const added = await shopper.POST('/v1/carts/{id}/items', { params: { path: { id: cart.data!.id } }, body: { variantId: product.variantId, quantity: 2 } });
    expect(added.data?.subtotal.amount).toBe(2 * 1999);

    // a guest says where the confirmation goes (a registered customer's account email is used otherwise)
    const placed = await shopper.POST('/v1/checkout', { body: { cartId: cart.data!.id, email: 'guest@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' } });
    expect(placed.response.status).toBe(202);
    expect(placed.data?.orderId).toBeTruthy();
    await expect.poll(async () => (await shopper.GET('/v1/orders/{id}', { params: { path: { id: placed.data!.orderId } } })).data?.status, { timeout: 20_000 }).toBe('paid');
  });

  it('when the API refuses, then `error` is the problem with its code and the fields at fault', async () => {
    const guest = (await createFloodgateClient({ baseUrl: ctx.shop.url }).POST('/v1/auth/guest')).data!;
    const shopper = createFloodgateClient({ baseUrl: ctx.shop.url, session: { accessToken: guest.accessToken } });
    const missing = await shopper.GET('/v1/carts/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.code).toBe('CARTS_NOT_FOUND');
    const cart = (await shopper.POST('/v1/carts', { body: {} })).data!;
    const invalid = await shopper.POST('/v1/carts/{id}/items', { params: { path: { id: cart.id } }, body: { variantId: randomUUID(), quantity: 0 } });
    expect(invalid.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'body.quantity' })] });
  });

  it('when the caller gives its own Idempotency-Key twice, then the second answer is the saved first one', async () => {
    const customer = await ctx.shopper.register();
    const product = await ctx.shopper.createProduct(ctx.admin, { stock: 5 });
    const cartId = await ctx.shopper.cartWith(customer.token, product.variantId, 1);
    const client = createFloodgateClient({ baseUrl: ctx.shop.url, session: { accessToken: customer.token } });
    const key = randomUUID();
    const send = () => client.POST('/v1/checkout', { params: { header: { 'idempotency-key': key } }, body: { cartId, shippingAddress: ADDRESS, paymentToken: 'tok_visa' } });
    const first = await send();
    const second = await send();
    expect(second.data?.orderId).toBe(first.data?.orderId);
    expect(second.response.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when the access token is no longer accepted, then the client refreshes it once, repeats the call and reports the new tokens', async () => {
    const registered = await fetch(`${ctx.shop.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `sdk-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'SDK' }),
    }).then((r) => r.json() as Promise<{ refreshToken: string; customer: { id: string } }>);
    const seen: string[] = [];
    const client = createFloodgateClient({ baseUrl: ctx.shop.url, session: { accessToken: 'expired.or.forged', refreshToken: registered.refreshToken }, onSession: (s) => seen.push(s.accessToken) });
    const me = await client.GET('/v1/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.id).toBe(registered.customer.id);
    expect(seen).toHaveLength(1);
    expect(client.session()?.refreshToken).not.toBe(registered.refreshToken);
  });

  it('when the document is read, then the operations taking an Idempotency-Key are exactly those the client adds one to', async () => {
    const doc = (await ctx.api.get<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }>('/v1/openapi.json')).body;
    const taking = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'))
      .map(([method]) => `${method.toUpperCase()} ${path}`));
    expect(new Set(taking)).toEqual(IDEMPOTENT_OPERATIONS);
  });
});

describe('the client under rate limits', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop('pglite', { RATE_LIMIT_GUEST_PER_ADDRESS: '1/2s' });
  });
  afterAll(() => shop?.dispose());

  it('when an answer is 429 with Retry-After, then the client waits that long and retries; without retries the 429 reaches the caller', async () => {
    const patient = createFloodgateClient({ baseUrl: shop.url, retries: 2 });
    const impatient = createFloodgateClient({ baseUrl: shop.url, retries: 0 });
    expect((await patient.POST('/v1/auth/guest')).response.status).toBe(201);
    const refused = await impatient.POST('/v1/auth/guest');
    expect(refused.response.status).toBe(429);
    expect(refused.error?.code).toBe('RATE_LIMITED');
    const started = Date.now();
    const retried = await patient.POST('/v1/auth/guest');
    expect(retried.response.status).toBe(201);
    // it waited for the window, not a fixed guess: at least most of a second, at most the 2 s window and some
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('Retry-After', () => {
  it('when it is seconds or an HTTP-date, then it is read as milliseconds to wait; when absent or unreadable, a second', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(5_000);
    expect(retryAfterMs(null)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
  });
});
