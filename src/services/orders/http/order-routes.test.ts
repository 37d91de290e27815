import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

describe('order routes', () => {
  let shop: OrdersShop;
  beforeAll(async () => {
    shop = await createOrdersShop();
  });
  afterAll(() => shop?.dispose());

  const get = (token: string, url: string) => shop.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  /** a settled order: paid with tok_visa unless told otherwise */
  const order = async ({ stock = 5, quantity = 1, paymentToken = 'tok_visa', customer = shop.customer() } = {}) => {
    const variantId = await shop.product(stock);
    const res = await shop.checkout(customer, await shop.cartWith(customer, variantId, quantity), { paymentToken });
    await shop.settle();
    return { variantId, customer, orderId: res.json().orderId as string };
  };

  it('when the owner reads an order, then it has lines, total, timestamps and its history', async () => {
    const { customer, orderId, variantId } = await order({ quantity: 2 });
    const res = await get(customer, `/v1/orders/${orderId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: orderId,
      status: 'paid',
      lines: [{ variantId, sku: expect.any(String), title: expect.any(String), quantity: 2, unitPrice: { amount: 1999, currency: 'USD' }, lineTotal: { amount: 3998, currency: 'USD' } }],
      total: { amount: 3998, currency: 'USD' },
      createdAt: expect.any(String),
      history: [{ from: null, to: 'pending' }, { from: 'pending', to: 'paid' }],
    });
  });

  it("when someone else reads an order, then 404 ORDERS_NOT_FOUND, as for an unknown or malformed id; an admin may read any", async () => {
    const { orderId } = await order();
    for (const url of [`/v1/orders/${orderId}`, `/v1/orders/${randomUUID()}`, '/v1/orders/not-an-id']) {
      const res = await get(shop.customer(), url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'ORDERS_NOT_FOUND' });
    }
    expect((await get(shop.admin, `/v1/orders/${orderId}`)).statusCode).toBe(200);
    expect((await shop.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` })).statusCode).toBe(401);
  });

  it('when a customer lists orders, then only theirs come, newest first, page by page with an opaque cursor', async () => {
    const customer = shop.customer();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await order({ customer })).orderId);
    await order();

    const first = await get(customer, '/v1/orders?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    const second = await get(customer, `/v1/orders?limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    expect((await get(shop.customer(), '/v1/orders')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('when the list is asked with a bad cursor or limit, then 400 naming the query field', async () => {
    const customer = shop.customer();
    const cursor = await get(customer, '/v1/orders?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ code: 'ORDERS_INVALID_CURSOR', errors: [{ field: 'query.cursor' }] });
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'unknown=1']) expect((await get(customer, `/v1/orders?${query}`)).statusCode).toBe(400);
  });

  it('when an admin cancels a paid order, then the money is refunded, the units return and a refund is no longer possible', async () => {
    const { variantId, orderId } = await order({ stock: 4, quantity: 2 });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2 });
    const refundsBefore = (await shop.psp.stats()).refunds;
    const cancel = await shop.act(orderId, 'cancel', { reason: 'customer_request' });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ id: orderId, status: 'cancelled' });
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    const refund = await shop.act(orderId, 'refund');
    expect(refund.statusCode).toBe(409);
    expect(refund.json()).toMatchObject({ code: 'ORDERS_ILLEGAL_TRANSITION' });
    expect((await get(shop.admin, `/v1/orders/${orderId}`)).json().history.at(-1)).toMatchObject({ from: 'paid', to: 'cancelled', reason: 'customer_request' });
  });

  it('when an admin cancels a pending order, then its hold is released at once', async () => {
    const variantId = await shop.product(3);
    const customer = shop.customer();
    const orderId = (await shop.checkout(customer, await shop.cartWith(customer, variantId, 3))).json().orderId;
    expect(await shop.stock(variantId)).toMatchObject({ available: 0 });
    expect((await shop.act(orderId, 'cancel')).json()).toMatchObject({ status: 'cancelled' });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    await shop.settle();
  });

  it('when an admin refunds a paid order, then the money goes back without a restock', async () => {
    const { variantId, orderId } = await order({ stock: 3, quantity: 1 });
    const refundsBefore = (await shop.psp.stats()).refunds;
    expect((await shop.act(orderId, 'refund')).json()).toMatchObject({ status: 'refunded' });
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2 });
  });

  it('when an admin fulfils a paid order, then it can still be refunded but no longer cancelled or fulfilled again', async () => {
    const { orderId } = await order();
    expect((await shop.act(orderId, 'fulfill')).json()).toMatchObject({ status: 'fulfilled' });
    expect((await shop.act(orderId, 'fulfill')).statusCode).toBe(409);
    expect((await shop.act(orderId, 'cancel')).statusCode).toBe(409);
    expect((await shop.act(orderId, 'refund')).json()).toMatchObject({ status: 'refunded' });
  });

  it('when an admin acts on a failed or unknown order, or a non-admin tries, then 409, 404 or 403', async () => {
    const { orderId } = await order({ paymentToken: 'tok_declined' });
    const failed = await shop.act(orderId, 'fulfill');
    expect(failed.statusCode).toBe(409);
    expect(failed.json().detail).toContain('payment_failed');
    expect((await shop.act(randomUUID(), 'cancel')).json()).toMatchObject({ code: 'ORDERS_NOT_FOUND' });
    expect((await shop.act('not-an-id', 'cancel')).statusCode).toBe(404);
    const asCustomer = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${orderId}/cancel`, headers: { authorization: `Bearer ${shop.customer()}` } });
    expect(asCustomer.statusCode).toBe(403);
    expect((await shop.act(orderId, 'cancel', { reason: 'Not Snake Case' })).statusCode).toBe(400);
  });

  it('when orders are scraped, then floodgate_orders has a sample per status', async () => {
    await order();
    const text = await shop.metrics.registry.metrics();
    expect(text).toMatch(/floodgate_orders\{status="paid",service="orders-test"\} [1-9]/);
    expect(text).toMatch(/floodgate_orders\{status="refunded",service="orders-test"\} \d+/);
  });

  it('when another service asks the orders client, then it gets the order without address or token', async () => {
    const { orderId, customer } = await order();
    const snapshot = await shop.orders.getOrder(orderId);
    expect(snapshot).toMatchObject({ id: orderId, customerId: customer.split(':')[1], status: 'paid', total: { amount: 1999, currency: 'USD' } });
    expect(snapshot).not.toHaveProperty('paymentToken');
    expect(await shop.orders.getOrder(randomUUID())).toBeNull();
  });
});
