import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentEvents } from '../../payments/contract/events.js';
import { createOrdersShop, type OrdersShop } from '../orders-shop.test-support.js';

describe('on payment failed', () => {
  let shop: OrdersShop;
  beforeAll(async () => {
    shop = await createOrdersShop();
  });
  afterAll(() => shop?.dispose());

  const placed = (stock: number, quantity: number, paymentToken = 'tok_declined') => shop.placeOrder(stock, quantity, paymentToken);
  const transitions = (customer: string, orderId: string) => shop.transitions(customer, orderId);

  it('when the card is declined, then the held units go back on sale and the order ends payment_failed with the reason', async () => {
    const { variantId, customer, orderId } = await placed(3, 3);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 3, available: 0 });
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'payment_failed:card_declined']);
    expect(await shop.stock(variantId)).toEqual({ variantId, onHand: 3, reserved: 0, available: 3 });
  });

  it('when the PSP does not know the token, then the order fails the same way, without a retry loop', async () => {
    const { customer, orderId } = await placed(1, 1, 'tok_unknown_brand');
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'payment_failed:invalid_token']);
  });

  it('when the failure is delivered again, then nothing changes', async () => {
    const { variantId, customer, orderId } = await placed(2, 1);
    await shop.settle();
    await shop.publish(PaymentEvents.failed, { orderId, paymentId: 'p', reason: 'card_declined' });
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'payment_failed:card_declined']);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 0 });
  });

  it('when the order was cancelled before the decline arrived, then it stays cancelled and the stock stays whole', async () => {
    const { variantId, customer, orderId } = await placed(2, 2);
    expect((await shop.act(orderId, 'cancel')).statusCode).toBe(200);
    await shop.settle();
    expect(await transitions(customer, orderId)).toEqual(['pending:placed', 'cancelled:cancelled_by_admin']);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
  });

  it('when a failure names an unknown order, then it is ignored', async () => {
    await expect(shop.publish(PaymentEvents.failed, { orderId: 'nope', paymentId: 'p', reason: 'x' })).resolves.toBeUndefined();
  });
});
