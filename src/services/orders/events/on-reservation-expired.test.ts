import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { InventoryEvents } from '../../inventory/contract/events.js';
import { createFakePspPaymentProvider } from '../../payments/index.js';
import type { PaymentProvider } from '../../payments/providers/payment-provider.js';
import { createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

const MINUTE = 60_000;
const HOLD_EXPIRED = 16 * MINUTE;

/** A real provider whose charges can be held at the door, to keep one in flight as long as a test needs. */
function stallableProvider(inner: PaymentProvider) {
  let gate: Promise<void> | undefined;
  let open = () => {};
  let entered = () => {};
  let inFlight = Promise.resolve();
  return {
    provider: { ...inner, charge: async (request) => { entered(); await gate; return inner.charge(request); } } satisfies PaymentProvider,
    /** the next charges wait at the door until release(); resolves once one is waiting */
    stall() {
      gate = new Promise((resolve) => (open = resolve));
      inFlight = new Promise((resolve) => (entered = resolve));
      return { waiting: inFlight, release: () => { gate = undefined; open(); } };
    },
  };
}

describe('on reservation expired', () => {
  let shop: OrdersShop;
  let stallable: ReturnType<typeof stallableProvider>;
  beforeAll(async () => {
    shop = await createOrdersShop({
      provider: (url) => (stallable = stallableProvider(createFakePspPaymentProvider({ baseUrl: url }))).provider,
    });
  });
  afterAll(() => shop?.dispose());

  const placed = (stock: number, quantity: number, paymentToken?: string) => shop.placeOrder(stock, quantity, paymentToken);
  const transitions = (customer: string, orderId: string) => shop.transitions(customer, orderId);

  it('when a charge is still in flight past the hold\'s first expiry, then the hold was extended: no cancel, no refund, the order is paid', async () => {
    const { variantId, customer, orderId } = await placed(2, 1);
    await shop.drain('orders'); // the payment is recorded, not charged yet
    shop.advanceInventoryClock(15 * MINUTE - 5_000); // it waited (an outage) until just before its hold runs out
    const { waiting, release } = stallable.stall();
    const charging = shop.chargePayments();
    await waiting; // the attempt is at the PSP's door: it extended the hold first

    shop.advanceInventoryClock(2 * MINUTE); // past the hold's first expiry, charge still in flight
    expect(await shop.inventory.expireNow()).toBe(0);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 1 });

    const refundsBefore = (await shop.psp.stats()).refunds;
    release();
    await charging;
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'paid:payment_captured']);
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore);
    expect((await shop.psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
  });

  it('when a hold expires while its payment may still capture, then the order is not cancelled', async () => {
    const { customer, orderId } = await placed(2, 1);
    // nobody touched the payment for the whole hold (no payments worker ran): the hold is released
    shop.advanceInventoryClock(HOLD_EXPIRED);
    await shop.inventory.expireNow();
    await shop.drain('inventory');
    expect(await transitions(customer, orderId)).toEqual(['pending:placed']);
    await shop.drain('orders');
    await shop.publish(InventoryEvents.reservationExpired, { reservationId: await shop.reservationOf(orderId), reference: orderId });
    expect(await transitions(customer, orderId)).toEqual(['pending:placed']);
  });

  it('when a hold expires after the payment was declined but before the decline arrived, then the order is cancelled and stays so', async () => {
    const { variantId, customer, orderId } = await placed(2, 2, 'tok_declined');
    await shop.drain('orders');
    await shop.chargePayments(); // declined; payment.failed waits in the payments outbox
    shop.advanceInventoryClock(HOLD_EXPIRED);
    await shop.inventory.expireNow();
    await shop.drain('inventory');
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:reservation_expired']);
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:reservation_expired']);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
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
