import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import { ADDRESS, createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

describe('POST /v1/checkout', () => {
  let shop: OrdersShop;
  /** the next reserve() fails like a dropped connection, once */
  let failNextReserve = false;

  beforeAll(async () => {
    shop = await createOrdersShop({
      wrapInventory: (client): InventoryClient => ({
        ...client,
        reserve: async (input) => {
          if (failNextReserve) {
            failNextReserve = false;
            throw new Error('connection reset by peer');
          }
          return client.reserve(input);
        },
      }),
    });
  });
  afterAll(() => shop?.dispose());

  const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(shop.db.kysely)).rows[0]?.n ?? 0;
  const counts = async () => ({
    orders: await count('orders.orders'),
    keys: await count('orders.idempotency_keys'),
    outbox: await count('orders.outbox'),
  });

  it('when a customer checks out a cart, then 202 {orderId, pending} with a Location, the order is durable and the stock is held', async () => {
    const variantId = await shop.product(5, 2500);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId, 2);

    const res = await shop.checkout(customer, cartId);
    expect(res.statusCode).toBe(202);
    const { orderId } = res.json();
    expect(res.json()).toEqual({ orderId: expect.any(String), status: 'pending' });
    expect(res.headers.location).toBe(`/v1/orders/${orderId}`);

    const order = await shop.getOrder(customer, orderId);
    expect(order).toMatchObject({
      id: orderId,
      status: 'pending',
      total: { amount: 5000, currency: 'USD' },
      shippingAddress: ADDRESS,
      lines: [{ variantId, quantity: 2, unitPrice: { amount: 2500, currency: 'USD' }, lineTotal: { amount: 5000, currency: 'USD' } }],
    });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    const placed = await sql<{ type: string; payload: { paymentToken: string } }>`select type, payload from orders.outbox where payload->>'orderId' = ${orderId}`.execute(shop.db.kysely);
    expect(placed.rows).toEqual([{ type: 'order.placed', payload: expect.objectContaining({ orderId, paymentToken: 'tok_visa', total: { amount: 5000, currency: 'USD' } }) }]);
  });

  it('when a guest checks out, then it works like a customer', async () => {
    const variantId = await shop.product(3);
    const guest = shop.customer('guest');
    expect((await shop.checkout(guest, await shop.cartWith(guest, variantId))).statusCode).toBe(202);
  });

  it('when a guest checks out without an email, then 400 naming body.email and nothing is written; with one, the order keeps it', async () => {
    const variantId = await shop.product(3);
    const guest = shop.customer('guest');
    const cartId = await shop.cartWith(guest, variantId);
    const before = await counts();
    const { email: _none, ...withoutEmail } = { cartId, email: '', shippingAddress: ADDRESS, paymentToken: 'tok_visa' };
    const refused = await shop.checkout(guest, cartId, { body: withoutEmail });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.email' }] });
    expect(await counts()).toEqual(before);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 0 });

    const placed = await shop.checkout(guest, cartId, { body: { ...withoutEmail, email: 'guest.buyer@example.com' } });
    expect(placed.statusCode).toBe(202);
    expect(await shop.getOrder(guest, placed.json().orderId)).toMatchObject({ email: 'guest.buyer@example.com' });
  });

  it("when a registered customer checks out without an email, then the order takes the account's email from the token, and a given one wins", async () => {
    const variantId = await shop.product(4);
    const customer = `customer:${randomUUID()}:ada@example.com`;
    const body = (cartId: string, extra = {}) => ({ cartId, shippingAddress: ADDRESS, paymentToken: 'tok_visa', ...extra });
    const fromToken = await shop.checkout(customer, '', { body: body(await shop.cartWith(customer, variantId)) });
    expect(fromToken.statusCode).toBe(202);
    expect(await shop.getOrder(customer, fromToken.json().orderId)).toMatchObject({ email: 'ada@example.com' });
    const given = await shop.checkout(customer, '', { body: body(await shop.cartWith(customer, variantId), { email: 'ada.receipts@example.com' }) });
    expect(given.statusCode).toBe(202);
    expect(await shop.getOrder(customer, given.json().orderId)).toMatchObject({ email: 'ada.receipts@example.com' });
  });

  it('when the address holds a phone number and the email a long digit run, each passing Luhn, then the order is placed with them', async () => {
    // neither is at a card brand's prefix and length; the guard used to refuse both as card data (1 such run in 10 passes Luhn)
    const variantId = await shop.product(5);
    const customer = shop.customer();
    const shippingAddress = { ...ADDRESS, line2: 'Tel. +49 1512 3456787' };
    const body = { cartId: await shop.cartWith(customer, variantId), shippingAddress, paymentToken: 'tok_visa', email: 'jo-0044123456780@example.com' };
    const res = await shop.checkout(customer, '', { body });
    expect(res.statusCode, res.body).toBe(202);
    expect(await shop.getOrder(customer, res.json().orderId)).toMatchObject({ email: body.email, shippingAddress: { line2: shippingAddress.line2 } });
  });

  it('when the same key and body come back, then the saved 202 is replayed and no second order exists', async () => {
    const variantId = await shop.product(5);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId);
    const key = randomUUID();
    const first = await shop.checkout(customer, cartId, { key });
    const again = await shop.checkout(customer, cartId, { key });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 1 });
  });

  it('when the same key comes with a different body, then 422 IDEMPOTENCY_KEY_REUSED and nothing is written', async () => {
    const variantId = await shop.product(5);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId);
    const key = randomUUID();
    await shop.checkout(customer, cartId, { key });
    const before = await counts();
    const reused = await shop.checkout(customer, cartId, { key, paymentToken: 'tok_declined' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await counts()).toEqual(before);
  });

  it('when 50 identical checkouts race with one key, then one order is placed and the others are told to retry', async () => {
    const variantId = await shop.product(10);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 50 }, () => shop.checkout(customer, cartId, { key })));
    const accepted = results.filter((r) => r.statusCode === 202);
    const retry = results.filter((r) => r.statusCode === 409);
    expect(accepted.length + retry.length).toBe(50);
    expect(new Set(accepted.map((r) => r.json().orderId)).size).toBe(1);
    for (const r of retry) {
      expect(r.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      expect(r.headers['retry-after']).toBe('1');
    }
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 1 });
  });

  it('when stock runs short, then 409 CHECKOUT_INSUFFICIENT_STOCK names the variant, the cart reopens and the answer is kept for the key', async () => {
    const variantId = await shop.product(1);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId, 2);
    const key = randomUUID();
    const res = await shop.checkout(customer, cartId, { key });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'CHECKOUT_INSUFFICIENT_STOCK', detail: expect.stringContaining(variantId) });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 1, reserved: 0 });

    // the same key replays the 409; a new key, after a restock, succeeds with the reopened cart
    const replay = await shop.checkout(customer, cartId, { key });
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await shop.app.inject({ method: 'PUT', url: `/v1/admin/inventory/${variantId}`, headers: { authorization: `Bearer ${shop.admin}` }, payload: { onHand: 5 } });
    expect((await shop.checkout(customer, cartId)).statusCode).toBe(202);
  });

  it('when a cart was checked out already, then a new key gets 409 CHECKOUT_CART_ALREADY_CHECKED_OUT', async () => {
    const variantId = await shop.product(5);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId);
    expect((await shop.checkout(customer, cartId)).statusCode).toBe(202);
    const second = await shop.checkout(customer, cartId);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT' });
  });

  it("when someone checks out another customer's cart or an unknown cart, then 404 and no row is written, not even the key", async () => {
    const variantId = await shop.product(5);
    const alice = shop.customer();
    const cartId = await shop.cartWith(alice, variantId);
    const before = await counts();
    for (const target of [cartId, randomUUID()]) {
      const res = await shop.checkout(shop.customer(), target);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'CHECKOUT_CART_NOT_FOUND' });
    }
    expect(await counts()).toEqual(before);
    expect((await shop.checkout(alice, cartId)).statusCode).toBe(202);
  });

  it('when the stock service fails unexpectedly, then 500, the key and the cart are released, and the retry with the same key succeeds', async () => {
    const variantId = await shop.product(5);
    const customer = shop.customer();
    const cartId = await shop.cartWith(customer, variantId);
    const key = randomUUID();
    failNextReserve = true;
    const failed = await shop.checkout(customer, cartId, { key });
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ code: 'INTERNAL' });
    const retried = await shop.checkout(customer, cartId, { key });
    expect(retried.statusCode).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('when the Idempotency-Key header is missing, then 400 IDEMPOTENCY_KEY_REQUIRED naming the header; when malformed, then 400', async () => {
    const customer = shop.customer();
    const body = { cartId: randomUUID(), shippingAddress: ADDRESS, paymentToken: 'tok_visa' };
    const missing = await shop.app.inject({ method: 'POST', url: '/v1/checkout', headers: { authorization: `Bearer ${customer}` }, payload: body });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ field: 'headers.idempotency-key' }] });
    for (const key of ['short', 'x'.repeat(256), 'has spaces in it']) {
      const res = await shop.checkout(customer, body.cartId, { key, body });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('headers.idempotency-key');
    }
  });

  it('when the caller is anonymous, then 401 before anything else', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/v1/checkout', payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it.each([
    ['a card number as token', { paymentToken: 'tok_4242424242424242' }, 'body.paymentToken'],
    ['a raw card number as token', { paymentToken: '4242 4242 4242 4242' }, 'body.paymentToken'],
    ['a card number in an address line', { shippingAddress: { ...ADDRESS, line1: '4111-1111-1111-1111' } }, 'body.shippingAddress.line1'],
    ['a token of the wrong shape', { paymentToken: 'visa' }, 'body.paymentToken'],
    ['a country that is not ISO 3166', { shippingAddress: { ...ADDRESS, country: 'UK' } }, 'body.shippingAddress.country'],
    ['a flash-sale reservation (not accepted yet)', { reservationId: randomUUID() }, 'body.reservationId'],
    ['an unknown field', { coupon: 'FREE' }, 'body.coupon'],
    ['a cart id that is not a uuid', { cartId: 'cart-1' }, 'body.cartId'],
    ['a malformed email', { email: 'not-an-email' }, 'body.email'],
    ['a missing address', { shippingAddress: undefined }, 'body.shippingAddress'],
  ])('when the body has %s, then 400 naming %s and nothing is written', async (_label, patch, field) => {
    const customer = shop.customer();
    const before = await counts();
    const body = { cartId: randomUUID(), shippingAddress: ADDRESS, paymentToken: 'tok_visa', ...patch };
    const res = await shop.checkout(customer, body.cartId, { body });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });
});
