import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { createMemoryCounterStore } from '../../platform/counters/memory-counter-store.js';
import { createFlashShop, SHIPPING, type FlashShop } from './flash-shop.test-support.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;
const LEASE = 60_000;

describe('checkout with a flash-sale reservation', () => {
  let shop: FlashShop;
  beforeAll(async () => {
    shop = await createFlashShop(pglite, createMemoryCounterStore());
  });
  afterAll(() => shop?.dispose());

  const orderRows = async () => Number((await sql<{ n: string }>`select count(*) as n from orders.orders`.execute(shop.db.kysely)).rows[0]?.n);
  const reservationStatus = async (id: string) =>
    (await sql<{ status: string }>`select status from flash_sales.sale_reservations where id = ${id}`.execute(shop.db.kysely)).rows[0]?.status;

  it('when a customer checks out their reservation and pays, then the order is paid at the sale price and the unit is sold everywhere', async () => {
    const { saleId, variantId } = await shop.liveSale({ quantity: 3, stock: 10 });
    const customer = shop.customer();
    const reservationId = await shop.reservation(customer, saleId);
    const key = uuidv7();
    const placed = await shop.checkout(customer, reservationId, { key });
    expect(placed.statusCode).toBe(202);
    const { orderId } = placed.json();
    expect(await reservationStatus(reservationId)).toBe('ordered');
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 0, sold: 1 });
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 2, carvedHeld: 1, carvedCommitted: 0 });

    // the same key answers the same order
    const again = await shop.checkout(customer, reservationId, { key });
    expect(again.statusCode).toBe(202);
    expect(again.json().orderId).toBe(orderId);

    await shop.settle();
    expect(await shop.orderStatus(orderId)).toBe('paid');
    const order = (await shop.call('GET', `/v1/orders/${orderId}`, customer)).json();
    expect(order.lines).toEqual([expect.objectContaining({ variantId, quantity: 1, unitPrice: { amount: 999, currency: 'USD' } })]);
    expect(order.total).toEqual({ amount: 999, currency: 'USD' });
    expect(await reservationStatus(reservationId)).toBe('sold');
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 2, carvedHeld: 0, carvedCommitted: 1 });
    expect((await shop.inventory.client.available([variantId])).get(variantId)).toBe(7);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 0, sold: 1 });
  });

  it('when the card is declined, then the reservation is released and the unit is back in the sale, not on the shelf', async () => {
    const { saleId, variantId } = await shop.liveSale({ quantity: 2, stock: 5 });
    const customer = shop.customer();
    const reservationId = await shop.reservation(customer, saleId);
    const placed = await shop.checkout(customer, reservationId, { paymentToken: 'tok_declined' });
    expect(placed.statusCode).toBe(202);
    await shop.settle();
    expect(await shop.orderStatus(placed.json().orderId)).toBe('payment_failed');
    expect(await reservationStatus(reservationId)).toBe('released');
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 0, sold: 0 });
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 2, carvedHeld: 0, carvedCommitted: 0 });
    expect((await shop.inventory.client.available([variantId])).get(variantId)).toBe(3);
    // and the customer may reserve and buy it again: the limit counts it no more
    const second = await shop.reserve(customer, saleId, await shop.admit(customer, saleId));
    expect(second.statusCode).toBe(201);
  });

  it("when someone else's, an unknown, an expired or an already checked-out reservation is checked out, then a 4xx and nothing is written", async () => {
    const { saleId } = await shop.liveSale({ quantity: 5, leaseMs: LEASE });
    const owner = shop.customer();
    const reservationId = await shop.reservation(owner, saleId);
    const before = await orderRows();

    const foreign = await shop.checkout(shop.customer(), reservationId);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'FLASH_SALE_RESERVATION_NOT_FOUND' });
    const unknown = await shop.checkout(owner, uuidv7());
    expect(unknown.statusCode).toBe(404);
    expect(await reservationStatus(reservationId)).toBe('held');

    const placed = await shop.checkout(owner, reservationId);
    expect(placed.statusCode).toBe(202);
    const twice = await shop.checkout(owner, reservationId);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'FLASH_SALE_RESERVATION_CLAIMED' });

    const late = shop.customer();
    const lapsed = await shop.reservation(late, saleId);
    shop.advance(LEASE + 1);
    expect(await shop.flashSales.expireReservationsNow()).toBeGreaterThanOrEqual(1);
    const expired = await shop.checkout(late, lapsed);
    expect(expired.statusCode).toBe(409);
    expect(expired.json()).toMatchObject({ code: 'FLASH_SALE_RESERVATION_EXPIRED' });
    expect(await orderRows()).toBe(before + 1);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 4, held: 0, sold: 1 });
  });

  it('when both cartId and reservationId, or neither, are sent, then 400 names the field and nothing is written', async () => {
    const customer = shop.customer();
    const before = await orderRows();
    const both = await shop.checkout(customer, uuidv7(), { body: { cartId: uuidv7(), reservationId: uuidv7(), shippingAddress: SHIPPING, paymentToken: 'tok_visa' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([expect.objectContaining({ field: 'body.reservationId' })]);
    const neither = await shop.checkout(customer, uuidv7(), { body: { shippingAddress: SHIPPING, paymentToken: 'tok_visa' } });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().errors).toEqual([expect.objectContaining({ field: 'body.cartId' })]);
    const malformed = await shop.checkout(customer, 'not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(await orderRows()).toBe(before);
  });

  it('when a reservation outlives its lease, then the expiry worker expires it and the counters give the unit back', async () => {
    const { saleId } = await shop.liveSale({ quantity: 1, leaseMs: LEASE });
    const reservationId = await shop.reservation(shop.customer(), saleId);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 0, held: 1 });
    shop.advance(LEASE - 1_000);
    await shop.flashSales.expireReservationsNow();
    expect(await reservationStatus(reservationId)).toBe('held');
    shop.advance(1_000);
    await shop.flashSales.expireReservationsNow();
    expect(await reservationStatus(reservationId)).toBe('expired');
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 1, held: 0 });
    // the event's follow-up repeats the step harmlessly
    await shop.settle();
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 1, held: 0, sold: 0 });
  });

  it('when a pending flash order is cancelled, then its unit goes back into the sale; when a paid one is cancelled while the sale is live, then its unit goes back into the sale too', async () => {
    const { saleId, variantId } = await shop.liveSale({ quantity: 2, stock: 4 });
    const [pending, paid] = [shop.customer(), shop.customer()];
    const pendingOrder = (await shop.checkout(pending, await shop.reservation(pending, saleId))).json().orderId;
    expect((await shop.call('POST', `/v1/admin/orders/${pendingOrder}/cancel`, shop.admin)).statusCode).toBe(200);
    await shop.settle();
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 0, sold: 0 });
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 2, carvedHeld: 0, carvedCommitted: 0 });

    const paidOrder = (await shop.checkout(paid, await shop.reservation(paid, saleId))).json().orderId;
    await shop.settle();
    expect(await shop.orderStatus(paidOrder)).toBe('paid');
    expect((await shop.call('POST', `/v1/admin/orders/${paidOrder}/cancel`, shop.admin)).statusCode).toBe(200);
    await shop.settle();
    expect(await shop.orderStatus(paidOrder)).toBe('cancelled');
    // the sale is live: the refunded unit is the sale's to sell again (after the sale ends it would go to the
    // shelf: cancel-paid-sale-order.test.ts)
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 0, sold: 0 });
    expect(await shop.units(saleId)).toMatchObject({ sold: 0, held: 0, ordered: 0 });
    // 4 on hand, 2 allocated to the sale: the shelf still has 2
    expect((await shop.inventory.client.available([variantId])).get(variantId)).toBe(2);
  });

  it('when a checkout died after claiming its reservation and was never retried, then long after the lease the claim is given back and the unit is on sale again', async () => {
    const { saleId } = await shop.liveSale({ quantity: 2, leaseMs: LEASE });
    const crashed = shop.customer();
    const abandoned = await shop.reservation(crashed, saleId);
    const claimed = await shop.flashSales.client.claimReservation({ reservationId: abandoned, customerId: crashed.split(':')[1]!, orderId: uuidv7() });
    expect(claimed.ok).toBe(true);
    const buyer = shop.customer();
    const bought = await shop.reservation(buyer, saleId);
    expect((await shop.checkout(buyer, bought)).statusCode).toBe(202);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 0, held: 0, sold: 2 });

    shop.advance(LEASE + 5 * 60_000);
    expect(await shop.flashSales.sweepClaimsNow()).toBe(0); // a checkout might still be writing it
    shop.advance(20 * 60_000);
    expect(await shop.flashSales.sweepClaimsNow()).toBe(1);
    expect(await reservationStatus(abandoned)).toBe('expired');
    expect(await reservationStatus(bought)).toBe('ordered');
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 1, held: 0, sold: 1 });
    expect(await shop.flashSales.sweepClaimsNow()).toBe(0);
  });

  it('when the counters are lost, then reservations answer 503 until the reconciler rebuilds them from PostgreSQL', async () => {
    const { saleId } = await shop.liveSale({ quantity: 4 });
    const buyer = shop.customer();
    const placed = await shop.checkout(buyer, await shop.reservation(buyer, saleId));
    expect(placed.statusCode).toBe(202);
    const holder = shop.customer();
    await shop.reservation(holder, saleId);
    const waiting = shop.customer();
    const admission = await shop.admit(waiting, saleId);

    await shop.counters.drop(saleId); // what a Redis flush does to the scope
    const refused = await shop.reserve(waiting, saleId, admission);
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'FLASH_SALE_UNAVAILABLE' });
    expect(refused.headers['retry-after']).toBeDefined();

    expect(await shop.flashSales.reconcileNow()).toBe(1);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 1, sold: 1 });
    expect(await shop.flashSales.reconcileNow()).toBe(0);
  });

  it('when the counters offer more than PostgreSQL allows, then the reconciler rebuilds them at once; when less, only once the difference holds still', async () => {
    const { saleId } = await shop.liveSale({ quantity: 3 });
    const holder = shop.customer();
    const reservationId = await shop.reservation(holder, saleId);
    // a lost take: the counters forget a hold PostgreSQL has
    await shop.counters.release(saleId, reservationId);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 3, held: 0 });
    expect(await shop.flashSales.reconcileNow()).toBe(1);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 1 });

    // a phantom hold: the counters hold a unit PostgreSQL never recorded
    const taken = await shop.counters.take(saleId, { member: 'ghost', quantity: 1, limit: 2, key: 'k', holdId: uuidv7(), expiresAtMs: Date.now() + LEASE });
    expect(taken.ok).toBe(true);
    expect(await shop.flashSales.reconcileNow()).toBe(0);
    expect(await shop.flashSales.reconcileNow()).toBe(0);
    expect(await shop.flashSales.reconcileNow()).toBe(1);
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 2, held: 1, sold: 0 });
  });

  it("when a reservation's claim landed but its answer was lost, then the checkout gives the reservation back before its key, and the key's retry buys it", async () => {
    let loseNext = true;
    const lossy = await createFlashShop(pglite, createMemoryCounterStore(), {
      wrapFlashSales: (client) => ({
        ...client,
        claimReservation: async (input) => {
          const claimed = await client.claimReservation(input);
          if (loseNext) {
            loseNext = false;
            throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
          }
          return claimed;
        },
      }),
    });
    try {
      const { saleId } = await lossy.liveSale({ quantity: 2, stock: 5 });
      const customer = lossy.customer();
      const reservationId = await lossy.reservation(customer, saleId);
      const key = uuidv7();
      expect((await lossy.checkout(customer, reservationId, { key })).statusCode).toBeGreaterThanOrEqual(500);
      // left claimed by the failed attempt's order id, the reservation would answer FLASH_SALE_RESERVATION_CLAIMED to every retry
      const retried = await lossy.checkout(customer, reservationId, { key });
      expect(retried.statusCode).toBe(202);
      await lossy.settle();
      expect(await lossy.orderStatus(retried.json().orderId)).toBe('paid');
    } finally {
      await lossy.dispose();
    }
  });
});
