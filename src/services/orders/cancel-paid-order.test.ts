import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePspPaymentProvider } from '../payments/index.js';
import { TransientPaymentError, type PaymentProvider } from '../payments/providers/payment-provider.js';
import { createOrdersShop, type OrdersShop } from './orders-shop.test-support.js';

/** the fake PSP's provider whose next `failures` refunds fail like a PSP timing out; counts every refund */
function createFlakyRefunds() {
  let failures = 0;
  let calls = 0;
  return {
    calls: () => calls,
    failNext: (n: number) => void (failures = n),
    provider: (pspUrl: string): PaymentProvider => {
      const real = createFakePspPaymentProvider({ baseUrl: pspUrl, backoff: { initialDelayMs: 5, maxDelayMs: 20 } });
      return {
        ...real,
        refund: async (request) => {
          calls++;
          if (failures > 0) {
            failures--;
            throw new TransientPaymentError('payment provider unreachable: timed out after 5000 ms', { scope: 'provider' });
          }
          return real.refund(request);
        },
      };
    },
  };
}

describe('cancelling a paid order while the PSP cannot refund', () => {
  let shop: OrdersShop;
  const flaky = createFlakyRefunds();

  beforeAll(async () => {
    shop = await createOrdersShop({ provider: flaky.provider });
  });
  afterAll(() => shop?.dispose());

  const payment = async (orderId: string) =>
    (await sql<{ status: string }>`select status from payments.payments where order_id = ${orderId}`.execute(shop.db.kysely)).rows[0]?.status;
  const refundedEvents = async (orderId: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from payments.outbox where type = 'payment.refunded' and payload->>'orderId' = ${orderId}`.execute(shop.db.kysely)).rows[0]?.n;

  it('when the refund fails inside the admin\'s cancel, then the admin gets 200 and order.cancelled refunds it later, exactly once, with the units restocked once', async () => {
    const { variantId, orderId } = await shop.placeOrder(5, 2);
    await shop.chargePayments();
    await shop.settle();
    expect(await shop.getOrder(shop.admin, orderId)).toMatchObject({ status: 'paid' });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0 });

    // the inline refund and the first redelivery both meet a PSP that does not answer
    flaky.failNext(2);
    const before = flaky.calls();
    const cancel = await shop.act(orderId, 'cancel');
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect(await payment(orderId)).toBe('captured'); // not yet: the PSP failed

    await expect.poll(async () => {
      await shop.settle().catch(() => {}); // a failed delivery is retried by the relay, as the running worker would
      return payment(orderId);
    }, { timeout: 15_000, interval: 50 }).toBe('refunded');
    expect(await refundedEvents(orderId)).toBe(1);
    expect(flaky.calls() - before).toBeGreaterThanOrEqual(3);
    expect((await shop.psp.stats()).refunds).toBe(1);
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect((await shop.transitions(shop.admin, orderId)).slice(-2)).toEqual(['paid:payment_captured', 'cancelled:cancelled_by_admin']);
  });

  it('when the PSP cannot confirm an admin refund, then 503 problem+json with Retry-After, the order stays paid, and the retry refunds it once', async () => {
    const { orderId } = await shop.placeOrder(5, 1);
    await shop.chargePayments();
    await shop.settle();
    expect(await shop.getOrder(shop.admin, orderId)).toMatchObject({ status: 'paid' });
    const refundsBefore = (await shop.psp.stats()).refunds;

    flaky.failNext(1);
    const refused = await shop.act(orderId, 'refund');
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ code: 'ORDERS_REFUND_UNCONFIRMED' });
    expect(await shop.getOrder(shop.admin, orderId)).toMatchObject({ status: 'paid' });

    const retried = await shop.act(orderId, 'refund');
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'refunded' });
    expect((await shop.psp.stats()).refunds - refundsBefore).toBe(1);
  });
});
