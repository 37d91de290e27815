import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCheckout, createStallableInventory, diedAfterCartClaim, HOLD_TTL_MS, LOCK_MS, type Checkout } from './checkout-crash.test-support.js';
import { createOrdersShop, type OrdersShop } from './orders-shop.test-support.js';


describe('checkout after a crash half-way', () => {
  let shop: OrdersShop;
  const stallable = createStallableInventory();

  beforeAll(async () => {
    shop = await createOrdersShop({ wrapInventory: stallable.wrapInventory });
  });
  afterAll(() => shop?.dispose());

  const ordersOf = async (customerId: string) =>
    (await sql<{ id: string }>`select id from orders.orders where customer_id = ${customerId}`.execute(shop.db.kysely)).rows.map((r) => r.id);

  /** the retry, once the dead process's lock has lapsed, then payment runs to its end */
  const retryAfterTheLockLapses = async (c: Checkout, orderId: string) => {
    const early = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });

    shop.advanceOrdersClock(LOCK_MS + 1);
    const retried = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ orderId, status: 'pending' });
    expect(retried.headers.location).toBe(`/v1/orders/${orderId}`);
    return retried;
  };

  it('when the process died after claiming the cart and holding the stock, then the retry with the key places that same order on that hold, and it gets paid', async () => {
    const c = await aCheckout(shop);
    const { orderId, reservationId } = await diedAfterCartClaim(shop, c);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2 });

    await retryAfterTheLockLapses(c, orderId);

    expect(await ordersOf(c.customerId)).toEqual([orderId]);
    expect(await shop.reservationOf(orderId)).toBe(reservationId);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    expect(await shop.carts.getForCheckout(c.cartId, c.customerId, { orderId })).toMatchObject({ ok: true, cart: { id: c.cartId } });
    expect(await shop.carts.getForCheckout(c.cartId, c.customerId, { orderId: randomUUID() })).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    // the key now replays the 202, and a new key cannot check the cart out again
    const replay = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(replay.json()).toEqual({ orderId, status: 'pending' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await shop.checkout(c.token, c.cartId)).json()).toMatchObject({ code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT' });

    await shop.settle();
    expect(await shop.getOrder(c.token, orderId)).toMatchObject({ id: orderId, status: 'paid', total: { amount: 5000, currency: 'USD' } });
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(await ordersOf(c.customerId)).toEqual([orderId]);
  });

  it('when the process died after claiming the cart but before holding the stock, then the retry holds it once and places that same order', async () => {
    const c = await aCheckout(shop);
    const { orderId } = await diedAfterCartClaim(shop, c, { hold: false });
    expect(await shop.stock(c.variantId)).toMatchObject({ reserved: 0 });

    await retryAfterTheLockLapses(c, orderId);

    expect(await ordersOf(c.customerId)).toEqual([orderId]);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    await shop.settle();
    expect((await shop.getOrder(c.token, orderId)).status).toBe('paid');
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('when the retry comes after the crashed attempt\'s hold ran out, then it is refused with the cart open again, no order and no charge, and a new key buys', async () => {
    const c = await aCheckout(shop);
    await diedAfterCartClaim(shop, c);
    shop.advanceInventoryClock(HOLD_TTL_MS + 1);
    expect(await shop.inventory.expireNow()).toBeGreaterThanOrEqual(1);
    const capturesBefore = (await shop.psp.stats()).captures;

    shop.advanceOrdersClock(LOCK_MS + 1);
    const late = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'CHECKOUT_HOLD_EXPIRED' });
    expect(await ordersOf(c.customerId)).toEqual([]);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 0 });

    const fresh = await shop.checkout(c.token, c.cartId);
    expect(fresh.statusCode).toBe(202);
    await shop.settle();
    expect((await shop.getOrder(c.token, fresh.json().orderId)).status).toBe('paid');
    expect((await shop.psp.stats()).captures).toBe(capturesBefore + 1);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('when a hung request wakes after a retry took its key over and placed the order, then it is told to retry and undoes nothing of that order', async () => {
    const c = await aCheckout(shop);
    const { stalled, release } = stallable.stallNextReserve();
    const hung = shop.checkout(c.token, c.cartId, { key: c.key });
    await stalled;

    shop.advanceOrdersClock(LOCK_MS + 1);
    const retried = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(retried.statusCode).toBe(202);
    const { orderId } = retried.json();

    release();
    const woke = await hung;
    expect(woke.statusCode).toBe(409);
    expect(woke.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    // the hold and the cart still belong to the placed order
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2 });
    expect(await shop.carts.getForCheckout(c.cartId, c.customerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    expect(await ordersOf(c.customerId)).toEqual([orderId]);
    await shop.settle();
    expect((await shop.getOrder(c.token, orderId)).status).toBe('paid');
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0 });
  });
});
