import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CartsClient } from '../carts/contract/carts-client.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import { createSqlIdempotencyStore } from './idempotency/sql-idempotency-store.js';
import { aCheckout, createStallableInventory, diedAfterCartClaim, HOLD_TTL_MS, LOCK_MS, type Checkout } from './checkout-crash.test-support.js';
import { createOrdersShop, type OrdersShop } from './orders-shop.test-support.js';
import { createAbandonedCheckoutSweepWorker, makeSweepAbandonedCheckouts } from './sweep-abandoned-checkouts.js';

/** what the orders service sweeps after: a minute past the hold */
const ABANDON_AFTER_MS = HOLD_TTL_MS + 60_000;

describe('sweeping abandoned checkouts', () => {
  // one shop for the file (each test has its own product, customer and cart); a sweep looks at every claim,
  // so each test starts with no claim left by another: the sweeps it runs see only its own
  let shop: OrdersShop;
  const stallable = createStallableInventory();
  beforeAll(async () => {
    shop = await createOrdersShop({ wrapInventory: stallable.wrapInventory });
  });
  beforeEach(async () => {
    await sql`delete from orders.idempotency_keys`.execute(shop.db.kysely);
  });
  afterAll(() => shop?.dispose());

  const logger = pino({ level: 'silent' });
  /** the sweep as the orders service runs it, over the shop's database and carts */
  const sweeper = (overrides: { carts?: CartsClient; store?: IdempotencyStore } = {}) =>
    makeSweepAbandonedCheckouts({ store: createSqlIdempotencyStore(shop.db), carts: shop.carts, logger, clock: shop.ordersNow, abandonAfterMs: ABANDON_AFTER_MS, ...overrides });

  const diedAfterHolding = async (c: Checkout, options?: { hold?: boolean }) => (await diedAfterCartClaim(shop, c, options)).orderId;

  /** time passes as it does for a checkout nobody retries: the hold expires, then the sweep window opens */
  const timePasses = async (ordersMs = LOCK_MS + ABANDON_AFTER_MS + 1) => {
    shop.advanceInventoryClock(HOLD_TTL_MS + 1);
    await shop.inventory.expireNow();
    shop.advanceOrdersClock(ordersMs);
  };

  const claimsOf = async (customerId: string) =>
    (await sql<{ key: string }>`select key from orders.idempotency_keys where customer_id = ${customerId}`.execute(shop.db.kysely)).rows.map((r) => r.key);
  const ordersOf = async (customerId: string) =>
    (await sql<{ id: string }>`select id from orders.orders where customer_id = ${customerId}`.execute(shop.db.kysely)).rows.map((r) => r.id);
  const isOpen = async (c: Checkout) => (await shop.carts.getForCheckout(c.cartId, c.customerId)).ok;

  const buysWithANewKey = async (c: Checkout) => {
    const fresh = await shop.checkout(c.token, c.cartId);
    expect(fresh.statusCode).toBe(202);
    await shop.settle();
    expect((await shop.getOrder(c.token, fresh.json().orderId)).status).toBe('paid');
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0 });
  };

  it('when a checkout died after claiming its cart and was never retried, then one sweep opens the cart, frees the key, and the cart can be bought', async () => {
    const c = await aCheckout(shop);
    await diedAfterHolding(c);
    // its cart is held by an order id that never became an order: a new key is told to retry
    expect((await shop.checkout(c.token, c.cartId)).json()).toMatchObject({ code: 'CHECKOUT_CART_BUSY' });
    await timePasses();

    expect(await sweeper()()).toBe(1);

    expect(await isOpen(c)).toBe(true);
    expect(await claimsOf(c.customerId)).not.toContain(c.key);
    expect(await ordersOf(c.customerId)).toEqual([]);
    await buysWithANewKey(c);
    expect(await sweeper()()).toBe(0);
  });

  it('when the client retries with its key after the sweep, then a new checkout places a new order that gets paid', async () => {
    const c = await aCheckout(shop);
    const deadOrderId = await diedAfterHolding(c);
    await timePasses();
    await sweeper()();

    const late = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(late.statusCode).toBe(202);
    const { orderId } = late.json();
    expect(orderId).not.toBe(deadOrderId);
    await shop.settle();
    expect((await shop.getOrder(c.token, orderId)).status).toBe('paid');
    expect(await ordersOf(c.customerId)).toEqual([orderId]);
  });

  it('when the claim is still within its window, then the sweep leaves the cart and the key alone', async () => {
    const c = await aCheckout(shop);
    await diedAfterHolding(c);
    await timePasses(LOCK_MS + ABANDON_AFTER_MS - 1_000);

    expect(await sweeper()()).toBe(0);

    expect(await isOpen(c)).toBe(false);
    expect(await claimsOf(c.customerId)).toEqual([c.key]);
  });

  it('when the checkout placed its order, then no sweep touches its cart or its key', async () => {
    const { customer, orderId } = await shop.placeOrder(5, 1);
    const customerId = customer.split(':')[1]!;
    const cartId = (await sql<{ cart_id: string }>`select cart_id from orders.orders where id = ${orderId}`.execute(shop.db.kysely)).rows[0]!.cart_id;
    await shop.settle();
    await timePasses();

    expect(await sweeper()()).toBe(0);

    expect(await shop.carts.getForCheckout(cartId, customerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    expect(await claimsOf(customerId)).toHaveLength(1);
    expect((await shop.getOrder(customer, orderId)).status).toBe('paid');
  });

  it('when two sweeps run at once, then the cart is reopened once and the key deleted once', async () => {
    const c = await aCheckout(shop);
    const deadOrderId = await diedAfterHolding(c);
    await timePasses();
    const reopened: string[] = [];
    const carts: CartsClient = {
      ...shop.carts,
      reopen: async (cartId, orderId) => {
        reopened.push(`${cartId}:${orderId}`);
        return shop.carts.reopen(cartId, orderId);
      },
    };

    const swept = await Promise.all([sweeper({ carts })(), sweeper({ carts })()]);

    expect(swept.sort()).toEqual([0, 1]);
    expect(reopened).toEqual([`${c.cartId}:${deadOrderId}`]);
    expect(await isOpen(c)).toBe(true);
    expect(await claimsOf(c.customerId)).toEqual([]);
  });

  /** the client's retry with the same key lands between the sweep finding the claim and seizing it; the sweep then backs off */
  const sweepWhileTheClientRetries = async (c: Checkout) => {
    const store = createSqlIdempotencyStore(shop.db);
    let retried: Awaited<ReturnType<OrdersShop['checkout']>> | undefined;
    const racing: IdempotencyStore = {
      ...store,
      seizeAbandoned: async (abandoned, until) => {
        retried = await shop.checkout(c.token, c.cartId, { key: c.key });
        return store.seizeAbandoned(abandoned, until);
      },
    };
    expect(await sweeper({ store: racing })()).toBe(0);
    if (!retried) throw new Error('the retry never ran');
    return retried;
  };

  it('when a retry takes the claim over just before the sweep seizes it and places the order, then the sweep backs off and the order keeps its cart', async () => {
    const c = await aCheckout(shop);
    const orderId = await diedAfterHolding(c, { hold: false });
    await timePasses();
    const retried = await sweepWhileTheClientRetries(c);

    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ orderId, status: 'pending' });
    expect(await shop.carts.getForCheckout(c.cartId, c.customerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    await shop.settle();
    expect((await shop.getOrder(c.token, orderId)).status).toBe('paid');
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await sweeper()()).toBe(0);
  });

  it('when a retry takes the claim over just before the sweep seizes it but its hold ran out, then the sweep backs off and the retry gives the cart back itself', async () => {
    const c = await aCheckout(shop);
    const deadOrderId = await diedAfterHolding(c);
    await timePasses();
    const retried = await sweepWhileTheClientRetries(c);

    // the retry resumed the dead order; its hold had expired, so it was refused and gave the cart back itself
    expect(retried.json()).toMatchObject({ code: 'CHECKOUT_HOLD_EXPIRED' });
    expect(await ordersOf(c.customerId)).toEqual([]);
    expect(await claimsOf(c.customerId)).toEqual([c.key]);
    expect(await shop.carts.getForCheckout(c.cartId, c.customerId, { orderId: deadOrderId })).toMatchObject({ ok: true });
    await buysWithANewKey(c);
  });

  it('when a retry arrives while the sweep gives the cart back, then it is told to retry, and its next try starts a new checkout', async () => {
    const c = await aCheckout(shop);
    await diedAfterHolding(c);
    await timePasses();
    let during: Awaited<ReturnType<OrdersShop['checkout']>> | undefined;
    const carts: CartsClient = {
      ...shop.carts,
      reopen: async (cartId, orderId) => {
        during = await shop.checkout(c.token, c.cartId, { key: c.key });
        return shop.carts.reopen(cartId, orderId);
      },
    };

    expect(await sweeper({ carts })()).toBe(1);

    expect(during?.statusCode).toBe(409);
    expect(during?.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    const next = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(next.statusCode).toBe(202);
    await shop.settle();
    expect((await shop.getOrder(c.token, next.json().orderId)).status).toBe('paid');
  });

  it('when a checkout request hangs past the sweep window, then the sweep opens the cart the request claimed, and the request wakes to a refusal that leaves it open', async () => {
    const c = await aCheckout(shop);
    const { stalled, release: wake } = stallable.stallNextReserve();
    const hung = shop.checkout(c.token, c.cartId, { key: c.key });
    await stalled;
    expect(await isOpen(c)).toBe(false);

    shop.advanceOrdersClock(LOCK_MS + ABANDON_AFTER_MS + 1);
    // the route saved the cart id with its claim: that is how the sweep knows which cart to open
    expect(await sweeper()()).toBe(1);
    expect(await isOpen(c)).toBe(true);

    wake();
    const woke = await hung;
    expect(woke.statusCode).toBe(409);
    expect(woke.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    expect(await ordersOf(c.customerId)).toEqual([]);
    expect(await isOpen(c)).toBe(true);
    // the hung request's hold is left to expire on its own
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2 });
    shop.advanceInventoryClock(HOLD_TTL_MS + 1);
    await shop.inventory.expireNow();
    await buysWithANewKey(c);
  });

  it('when the sweep worker runs, then an abandoned checkout\'s cart is opened without anyone calling the sweep', async () => {
    const c = await aCheckout(shop);
    await diedAfterHolding(c);
    await timePasses();
    const worker = createAbandonedCheckoutSweepWorker({ store: createSqlIdempotencyStore(shop.db), carts: shop.carts, logger, clock: shop.ordersNow, abandonAfterMs: ABANDON_AFTER_MS, intervalMs: 20 });

    worker.start();
    await expect.poll(() => isOpen(c), { timeout: 5_000 }).toBe(true);
    await worker.stop();

    expect(await claimsOf(c.customerId)).toEqual([]);
  });
});
