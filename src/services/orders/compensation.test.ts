import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { aCheckout } from './checkout-crash.test-support.js';
import { createOrdersShop, type OrdersShop } from './orders-shop.test-support.js';

/** what a query against a database that just went away throws */
const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });

/** inventory whose next `failures` releases fail like a database blip; counts every call */
function createFlakyReleases() {
  let failures = 0;
  const calls: string[] = [];
  return {
    calls,
    failNext: (n: number) => void (failures = n),
    wrapInventory: (client: InventoryClient): InventoryClient => ({
      ...client,
      release: async (reservationId, reason) => {
        calls.push(reservationId);
        if (failures > 0) {
          failures--;
          throw connectionLost();
        }
        return client.release(reservationId, reason);
      },
    }),
  };
}

describe('compensation after a failure', () => {
  let shop: OrdersShop;
  const flaky = createFlakyReleases();

  beforeAll(async () => {
    shop = await createOrdersShop({ wrapInventory: flaky.wrapInventory });
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
    const { rows: claims } = await sql<{ order_id: string }>`select order_id from orders.idempotency_keys where customer_id = ${c.customerId}`.execute(shop.db.kysely);
    expect(claims).toEqual([]); // the key was given back: nothing was acknowledged

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

  it('when a checkout failed half-way and its undo has not landed yet, then a retry is told 409 CHECKOUT_CART_BUSY with Retry-After, not "already checked out", and buys once the undo lands', async () => {
    const c = await aCheckout(shop);
    await failOrderInsertsOf(c.customerId);
    flaky.failNext(Number.MAX_SAFE_INTEGER); // the undo keeps failing: its cart stays claimed by an order that does not exist

    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBeGreaterThanOrEqual(500);
    await sql`delete from public.fail_orders_of`.execute(shop.db.kysely);
    // the client retries its key (given back: nothing was acknowledged), or a new one
    for (const key of [c.key, undefined]) {
      const retried = await shop.checkout(c.token, c.cartId, key ? { key } : {});
      expect(retried.statusCode).toBe(409);
      expect(retried.json()).toMatchObject({ code: 'CHECKOUT_CART_BUSY' });
      expect(retried.headers['retry-after']).toBe('2');
    }
    const { rows: orders } = await sql<{ id: string }>`select id from orders.orders where customer_id = ${c.customerId}`.execute(shop.db.kysely);
    expect(orders).toEqual([]);

    flaky.failNext(0); // the database is back: the background undo lands
    await expect.poll(async () => (await shop.carts.getForCheckout(c.cartId, c.customerId)).ok, { timeout: 10_000 }).toBe(true);
    expect((await shop.checkout(c.token, c.cartId, { key: c.key })).statusCode).toBe(202);
    // and a cart checked out by an order that exists is refused for good
    const again = await shop.checkout(c.token, c.cartId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT' });
    expect(again.headers['retry-after']).toBeUndefined();
  });
});
