import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { InventoryEvents } from '../../inventory/contract/events.js';
import { createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

const HOLD_EXPIRED = 16 * 60_000;

describe('on reservation expired', () => {
  let shop: OrdersShop;
  beforeAll(async () => {
    shop = await createOrdersShop();
  });
  afterAll(() => shop?.dispose());

  const placed = (stock: number, quantity: number, paymentToken?: string) => shop.placeOrder(stock, quantity, paymentToken);
  const transitions = (customer: string, orderId: string) => shop.transitions(customer, orderId);

  it('when a pending order loses its hold, then it is cancelled; a capture that still comes is refunded', async () => {
    const { variantId, customer, orderId } = await placed(2, 2);
    shop.advanceInventoryClock(HOLD_EXPIRED);
    await shop.inventory.expireNow();
    await shop.drain('inventory');
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:reservation_expired']);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });

    const refundsBefore = (await shop.psp.stats()).refunds;
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:reservation_expired']);
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, available: 2 });
  });

  it('when a paid order gets a late expiry event, then it stays paid', async () => {
    const { customer, orderId } = await placed(2, 1);
    await shop.settle();
    await shop.publish(InventoryEvents.reservationExpired, { reservationId: await shop.reservationOf(orderId), reference: orderId });
    expect((await shop.getOrder(customer, orderId)).status).toBe('paid');
  });

  it('when the expired hold is not the one the order holds, or not an order at all, then nothing happens', async () => {
    const { customer, orderId } = await placed(2, 1);
    await shop.publish(InventoryEvents.reservationExpired, { reservationId: uuidv7(), reference: orderId });
    await shop.publish(InventoryEvents.reservationExpired, { reservationId: uuidv7(), reference: 'flash-sale:abc' });
    await shop.publish(InventoryEvents.reservationExpired, { reservationId: uuidv7(), reference: uuidv7() });
    expect((await shop.getOrder(customer, orderId)).status).toBe('pending');
  });
});
