import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { createMemoryCounterStore } from '../../platform/counters/memory-counter-store.js';
import { createFlashShop, type FlashShop } from './flash-shop.test-support.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;

describe('an admin cancels a paid flash-sale order', () => {
  let shop: FlashShop;
  beforeAll(async () => {
    shop = await createFlashShop(pglite, createMemoryCounterStore());
  });
  afterAll(() => shop?.dispose());

  const reservationStatus = async (id: string) =>
    (await sql<{ status: string }>`select status from flash_sales.sale_reservations where id = ${id}`.execute(shop.db.kysely)).rows[0]?.status;
  const shelf = async (variantId: string) => (await shop.inventory.client.available([variantId])).get(variantId);

  /** a paid order of one unit of a fresh sale of `quantity` units (of a variant with 10 on hand) */
  async function paidOrder(quantity: number) {
    const { saleId, variantId } = await shop.liveSale({ quantity, stock: 10 });
    const customer = shop.customer();
    const reservationId = await shop.reservation(customer, saleId);
    const placed = await shop.checkout(customer, reservationId);
    expect(placed.statusCode).toBe(202);
    await shop.settle();
    const { orderId } = placed.json();
    expect(await shop.orderStatus(orderId)).toBe('paid');
    return { saleId, variantId, reservationId, orderId };
  }

  /** every unit of the sale is exactly one of available, held or sold, in the counters and in inventory */
  async function expectConserved(saleId: string, quantity: number) {
    const snapshot = (await shop.counters.snapshot(saleId))!;
    expect(snapshot.available + snapshot.held + snapshot.sold).toBe(quantity);
    const inventory = await shop.inventoryUnits(saleId);
    expect(inventory.allocation + inventory.carvedHeld + inventory.carvedCommitted).toBe(quantity);
    expect(inventory.allocation).toBe(snapshot.available);
  }

  it('when the sale is still live, then the unit goes back to the sale (counters and allocation), not the shelf, and is sold again', async () => {
    const { saleId, variantId, reservationId, orderId } = await paidOrder(3);
    expect(await shelf(variantId)).toBe(7);
    await expectConserved(saleId, 3);

    const cancelled = await shop.call('POST', `/v1/admin/orders/${orderId}/cancel`, shop.admin);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await shop.settle();
    expect(await shop.orderStatus(orderId)).toBe('cancelled');
    expect(await reservationStatus(reservationId)).toBe('released');
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 3, held: 0, sold: 0 });
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 3, carvedHeld: 0, carvedCommitted: 0 });
    expect(await shelf(variantId)).toBe(7);
    await expectConserved(saleId, 3);

    // a redelivered order.cancelled changes nothing
    await shop.settle();
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 3, held: 0, sold: 0 });

    // the sale sells it again: three more paid units, not two
    for (let i = 0; i < 3; i++) {
      const customer = shop.customer();
      expect((await shop.checkout(customer, await shop.reservation(customer, saleId))).statusCode).toBe(202);
    }
    await shop.settle();
    expect(await shop.counters.snapshot(saleId)).toMatchObject({ available: 0, held: 0, sold: 3 });
    expect(await shop.inventoryUnits(saleId)).toEqual({ allocation: 0, carvedHeld: 0, carvedCommitted: 3 });
    expect(await shelf(variantId)).toBe(7);
    await expectConserved(saleId, 3);
  });

  it('when the sale has ended, then the unit goes to the shelf and the reservation stays sold', async () => {
    const { saleId, variantId, reservationId, orderId } = await paidOrder(3);
    const ended = await shop.call('POST', `/v1/admin/flash-sales/${saleId}/end`, shop.admin);
    expect(ended.statusCode, ended.body).toBe(200);
    await shop.settle();
    // the two unsold units went back on the shelf with the allocation
    expect(await shelf(variantId)).toBe(9);

    const cancelled = await shop.call('POST', `/v1/admin/orders/${orderId}/cancel`, shop.admin);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await shop.settle();
    expect(await shop.orderStatus(orderId)).toBe('cancelled');
    expect(await reservationStatus(reservationId)).toBe('sold');
    expect(await shelf(variantId)).toBe(10);
    expect((await shop.inventoryUnits(saleId)).allocation).toBe(0);
  });
});
