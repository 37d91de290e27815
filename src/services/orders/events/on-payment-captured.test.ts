import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentEvents } from '../../payments/contract/events.js';
import { createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

const HOLD_EXPIRED = 16 * 60_000;

describe('on payment captured', () => {
  let shop: OrdersShop;
  beforeAll(async () => {
    shop = await createOrdersShop();
  });
  afterAll(() => shop?.dispose());

  const placed = (stock: number, quantity: number, paymentToken?: string) => shop.placeOrder(stock, quantity, paymentToken);
  const transitions = (customer: string, orderId: string) => shop.transitions(customer, orderId);

  it('when the payment is captured, then the held units leave the shelf and the order is paid, captured once', async () => {
    const { variantId, customer, orderId } = await placed(5, 2);
    await shop.settle();
    expect((await shop.getOrder(customer, orderId)).status).toBe('paid');
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'paid:payment_captured']);
    expect(await shop.stock(variantId)).toEqual({ variantId, onHand: 3, reserved: 0, available: 3 });
    expect((await shop.psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
  });

  it('when the PSP fails transiently first (tok_flaky), then the order is still paid and captured exactly once', async () => {
    const { customer, orderId } = await placed(2, 1, 'tok_flaky');
    await shop.settle();
    expect((await shop.getOrder(customer, orderId)).status).toBe('paid');
    expect((await shop.psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
  });

  it('when the capture event is delivered again, then nothing changes', async () => {
    const { variantId, customer, orderId } = await placed(4, 1);
    await shop.settle();
    await shop.publish(PaymentEvents.captured, { orderId, paymentId: 'p', amount: { amount: 1999, currency: 'USD' } });
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'paid:payment_captured']);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('when no payments worker touched the payment past its hold and it then captures, then the order is paid, not refunded, with the stock exact', async () => {
    const { variantId, customer, orderId } = await placed(3, 2);
    await shop.drain('orders'); // the payment is recorded; then no worker runs for the whole hold
    shop.advanceInventoryClock(HOLD_EXPIRED);
    expect(await shop.inventory.expireNow()).toBeGreaterThanOrEqual(1);
    await shop.drain('inventory'); // reservation.expired: the payment may still capture, so the order is kept
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const refundsBefore = (await shop.psp.stats()).refunds;
    await shop.chargePayments(); // a worker is back and the card captures
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'paid:payment_captured']);
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore);
    expect((await shop.psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
    expect(await shop.stock(variantId)).toEqual({ variantId, onHand: 1, reserved: 0, available: 1 });
    // a redelivered capture takes nothing twice
    await shop.publish(PaymentEvents.captured, { orderId, paymentId: 'p', amount: { amount: 3998, currency: 'USD' } });
    expect(await shop.stock(variantId)).toEqual({ variantId, onHand: 1, reserved: 0, available: 1 });
  });

  it('when the hold expired and its units were sold before the money came, then the money is refunded and the order cancelled, the other sale kept', async () => {
    const { variantId, customer, orderId } = await placed(2, 2);
    await shop.drain('orders');
    shop.advanceInventoryClock(HOLD_EXPIRED);
    expect(await shop.inventory.expireNow()).toBeGreaterThanOrEqual(1);
    await shop.drain('inventory');
    // the units are back on sale, and another customer buys one of them
    const other = shop.customer();
    const second = await shop.checkout(other, await shop.cartWith(other, variantId, 1));
    expect(second.statusCode).toBe(202);
    const refundsBefore = (await shop.psp.stats()).refunds;
    await shop.chargePayments();
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:reservation_expired']);
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    expect((await shop.getOrder(other, second.json().orderId)).status).toBe('paid');
    expect(await shop.stock(variantId)).toEqual({ variantId, onHand: 1, reserved: 0, available: 1 });
  });

  it('when the order was cancelled before the capture arrived, then the capture is refunded and the stock stays whole', async () => {
    const { variantId, customer, orderId } = await placed(3, 1);
    expect((await shop.act(orderId, 'cancel')).statusCode).toBe(200);
    const refundsBefore = (await shop.psp.stats()).refunds;
    await shop.settle();
    expect((await shop.getOrder(customer, orderId)).status).toBe('cancelled');
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  });

  it('when the units were committed but the order got cancelled before it was marked paid, then the redelivered capture restocks and refunds', async () => {
    const { variantId, customer, orderId } = await placed(3, 1);
    // a first delivery committed the hold, then crashed; meanwhile an admin cancelled the order
    expect(await shop.inventory.client.commit(await shop.reservationOf(orderId))).toEqual({ ok: true });
    expect((await shop.act(orderId, 'cancel')).statusCode).toBe(200);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 0 });
    const refundsBefore = (await shop.psp.stats()).refunds;
    await shop.settle();
    expect((await shop.getOrder(customer, orderId)).status).toBe('cancelled');
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
    // and once more, for good measure: nothing is restocked or refunded twice
    await shop.publish(PaymentEvents.captured, { orderId, paymentId: 'p', amount: { amount: 1999, currency: 'USD' } });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, available: 3 });
    expect((await shop.psp.stats()).refunds).toBe(refundsBefore + 1);
  });

  it('when a capture names an unknown or malformed order, then it is ignored', async () => {
    await expect(shop.publish(PaymentEvents.captured, { orderId: '00000000-0000-7000-8000-000000000000', paymentId: 'p', amount: { amount: 1, currency: 'USD' } })).resolves.toBeUndefined();
    await expect(shop.publish(PaymentEvents.captured, { orderId: 'nope', paymentId: 'p', amount: { amount: 1, currency: 'USD' } })).resolves.toBeUndefined();
  });
});
