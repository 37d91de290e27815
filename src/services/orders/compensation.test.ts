import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartsClient } from '../carts/contract/carts-client.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { aCheckout, LOCK_MS as CHECKOUT_LOCK_MS } from './checkout-crash.test-support.js';
import { createOrdersShop, type OrdersShop } from './orders-shop.test-support.js';

/** what a query against a database that just went away throws */
const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });

/** inventory whose next `failures` releases fail like a database blip; counts every call */
function createFlakyReleases() {
  let failures = 0;
  let beforeFailing = () => {};
  const calls: string[] = [];
  return {
    calls,
    /** `before` runs ahead of each failure (to move a clock to the moment it fails at) */
    failNext: (n: number, before = () => {}) => void ((failures = n), (beforeFailing = before)),
    wrapInventory: (client: InventoryClient): InventoryClient => ({
      ...client,
      release: async (reservationId, reason) => {
        calls.push(reservationId);
        if (failures > 0) {
          failures--;
          beforeFailing();
          throw connectionLost();
        }
        return client.release(reservationId, reason);
      },
    }),
  };
}

/** carts whose next `n` cart claims land and then fail, as a statement that ran after its caller gave up */
function createLostClaimAnswers() {
  let lost = 0;
  return {
    loseNext: (n: number) => void (lost = n),
    wrapCarts: (client: CartsClient): CartsClient => ({
      ...client,
      markCheckedOut: async (cartId, orderId) => {
        const result = await client.markCheckedOut(cartId, orderId);
        if (lost > 0) {
          lost--;
          throw connectionLost();
        }
        return result;
      },
    }),
  };
}

describe('compensation after a failure', () => {
  let shop: OrdersShop;
  const flaky = createFlakyReleases();
  const lostClaims = createLostClaimAnswers();

  beforeAll(async () => {
    shop = await createOrdersShop({ wrapInventory: flaky.wrapInventory, wrapCarts: lostClaims.wrapCarts });
  });
  afterAll(() => shop?.dispose());

  const reservation = async (reference: string) =>
    (await sql<{ id: string; status: string; release_reason: string | null }>`select id, status, release_reason from inventory.reservations where reference = ${reference}`.execute(shop.db.kysely)).rows[0];
  const releasedEvents = async (reservationId: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from inventory.outbox where type = 'stock.released' and payload->>'reservationId' = ${reservationId}`.execute(shop.db.kysely)).rows[0]?.n;

  /** the order insert fails for this customer, as if the connection dropped before the commit */
  const failOrderInsertsOf = async (customerId: string) => {
    await sql.raw(`
      create table if not exists public.fail_orders_of (customer_id text primary key);
      create or replace function public.fail_order_insert() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from public.fail_orders_of where customer_id = new.customer_id) then
          raise exception 'injected: connection lost before commit' using errcode = '08006';
        end if;
        return new;
      end $$;
      drop trigger if exists fail_order_insert on orders.orders;
      create trigger fail_order_insert before insert on orders.orders for each row execute function public.fail_order_insert();`).execute(shop.db.kysely);
    await sql`insert into public.fail_orders_of values (${customerId})`.execute(shop.db.kysely);
  };

  it('when the release of a cancelled order\'s hold fails, then order.cancelled releases it later by itself, exactly once', async () => {
    const { variantId, orderId } = await shop.placeOrder(3, 2, 'tok_declined');
    flaky.failNext(1);
    const cancel = await shop.act(orderId, 'cancel');
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 2 }); // the inline release failed

    await shop.settle(); // the relays, as the running workers would
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const held = await reservation(orderId);
    expect(held).toMatchObject({ status: 'released', release_reason: 'order_cancelled' });
    expect(await releasedEvents(held!.id)).toBe(1);
    expect(flaky.calls.filter((id) => id === held!.id)).toHaveLength(2); // the failed inline try, then the event's
  });

  it('when a checkout fails to write its order and the undo fails too, then the hold is released and the cart reopened in the background, exactly once', async () => {
    const c = await aCheckout(shop);
    await failOrderInsertsOf(c.customerId);
    flaky.failNext(2); // the inline undo and the first background retry

    const res = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    const claims = async () => (await sql<{ order_id: string }>`select order_id from orders.idempotency_keys where customer_id = ${c.customerId}`.execute(shop.db.kysely)).rows;
    // the key is given back (nothing was acknowledged) once the undo has landed, not before
    await expect.poll(claims, { timeout: 10_000 }).toEqual([]);

    // the hold was made under the attempt's order id; find it by its lines
    const { rows } = await sql<{ reference: string }>`select r.reference from inventory.reservations r join inventory.reservation_lines l on l.reservation_id = r.id where l.variant_id = ${c.variantId}`.execute(shop.db.kysely);
    expect(rows).toHaveLength(1);
    const orderId = rows[0]!.reference;
    await expect.poll(async () => (await reservation(orderId))?.status, { timeout: 10_000 }).toBe('released');
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const held = await reservation(orderId);
    expect(held?.release_reason).toBe('checkout_failed');
    expect(await releasedEvents(held!.id)).toBe(1);
    expect(flaky.calls.filter((id) => id === held!.id)).toHaveLength(3);
    // the cart is open again: a checkout with a new key goes through once the database is healthy
    await expect.poll(async () => (await shop.carts.getForCheckout(c.cartId, c.customerId, {})).ok, { timeout: 10_000 }).toBe(true);
    await sql`delete from public.fail_orders_of`.execute(shop.db.kysely);
    expect((await shop.checkout(c.token, c.cartId)).statusCode).toBe(202);
  });

  it('when a checkout failed half-way and its undo has not landed yet, then its key is told to retry (409 IDEMPOTENCY_KEY_IN_PROGRESS), a new key 409 CHECKOUT_CART_BUSY, both with Retry-After, and the key buys once the undo lands', async () => {
    const c = await aCheckout(shop);
    await failOrderInsertsOf(c.customerId);
    flaky.failNext(Number.MAX_SAFE_INTEGER); // the undo keeps failing: its cart stays claimed by an order that does not exist

    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBeGreaterThanOrEqual(500);
    await sql`delete from public.fail_orders_of`.execute(shop.db.kysely);
    // the client retries its key (still claimed: if the undo gave up, the claim is what lets this key resume
    // its order or the sweeper give the cart back), or a new one
    for (const [key, code] of [[c.key, 'IDEMPOTENCY_KEY_IN_PROGRESS'], [undefined, 'CHECKOUT_CART_BUSY']] as const) {
      const retried = await shop.checkout(c.token, c.cartId, key ? { key } : {});
      expect(retried.statusCode).toBe(409);
      expect(retried.json()).toMatchObject({ code });
      expect(Number(retried.headers['retry-after'])).toBeGreaterThan(0);
    }
    const { rows: orders } = await sql<{ id: string }>`select id from orders.orders where customer_id = ${c.customerId}`.execute(shop.db.kysely);
    expect(orders).toEqual([]);

    flaky.failNext(0); // the database is back: the background undo lands, then the key is given back
    await expect.poll(async () => (await shop.carts.getForCheckout(c.cartId, c.customerId)).ok, { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await sql`select 1 from orders.idempotency_keys where customer_id = ${c.customerId}`.execute(shop.db.kysely)).rows, { timeout: 10_000 }).toEqual([]);
    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBe(202);
    // and a cart checked out by an order that exists is refused for good
    const again = await shop.checkout(c.token, c.cartId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT' });
    expect(again.headers['retry-after']).toBeUndefined();
  });

  it('when the undo of a failed checkout gives up (its lock ran out while the database was still failing), then the key keeps its claim, and its retry resumes that order on its cart and hold once the lock lapsed', async () => {
    const c = await aCheckout(shop);
    await failOrderInsertsOf(c.customerId);
    // the inline undo fails at the last moment of the key's lock, so the background undo has no time left and gives up
    let atLockEnd = false;
    flaky.failNext(2, () => {
      if (!atLockEnd) shop.advanceOrdersClock(CHECKOUT_LOCK_MS - 50);
      atLockEnd = true;
    });

    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBeGreaterThanOrEqual(500);
    await sql`delete from public.fail_orders_of`.execute(shop.db.kysely);
    const { rows: claims } = await sql<{ order_id: string }>`select order_id from orders.idempotency_keys where customer_id = ${c.customerId}`.execute(shop.db.kysely);
    expect(claims).toHaveLength(1); // the only record of the order id its cart and hold are claimed under
    const orderId = claims[0]!.order_id;
    expect(await reservation(orderId)).toMatchObject({ status: 'held' });

    shop.advanceOrdersClock(1_000); // past the lock
    const resumed = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(resumed.statusCode).toBe(202);
    expect(resumed.json()).toMatchObject({ orderId });
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
  });

  it("when a cart claim landed but its answer was lost, then the checkout gives the cart back before its key, and the key's retry buys", async () => {
    const c = await aCheckout(shop);
    lostClaims.loseNext(1);
    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBeGreaterThanOrEqual(500);
    // left checked out by the failed attempt's order id, the cart would answer CHECKOUT_CART_BUSY for good
    expect((await shop.carts.getForCheckout(c.cartId, c.customerId)).ok).toBe(true);
    const retried = await shop.checkout(c.token, c.cartId, { key: c.key });
    expect(retried.statusCode).toBe(202);
    expect(await shop.stock(c.variantId)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
  });
});
