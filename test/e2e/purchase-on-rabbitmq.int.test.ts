import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { deleteShopTopology, uniqueExchange } from '../support/rabbitmq-topology.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const rabbitmq = await serviceAvailable('rabbitmq');

describe.skipIf(!rabbitmq)('purchase with events on RabbitMQ (AMQP_URL set)', () => {
  const exchange = uniqueExchange();
  let shop: TestShop;
  let api: Api;
  let shopper: ReturnType<typeof createShopper>;
  let admin: string;

  beforeAll(async () => {
    shop = await startTestShop('pglite', { AMQP_URL: TEST_SERVICES.rabbitmq, AMQP_EXCHANGE: exchange });
    api = createApi(shop.url);
    shopper = createShopper(api);
    admin = await shopper.adminToken(shop.admin);
  });
  afterAll(async () => {
    await shop?.dispose();
    await deleteShopTopology(exchange);
  });

  it('when a customer pays with tok_visa and another is declined, then the events travel through RabbitMQ and both orders reach their final state', async () => {
    await expect.poll(async () => (await api.get('/readyz')).status, { timeout: 10_000 }).toBe(200);
    const { variantId } = await shopper.createProduct(admin, { stock: 5 });
    const [paying, declined] = [await shopper.guestToken(), await shopper.guestToken()];
    const paid = await shopper.checkout(paying, await shopper.cartWith(paying, variantId, 2), 'tok_visa');
    const failed = await shopper.checkout(declined, await shopper.cartWith(declined, variantId, 1), 'tok_declined');
    expect([paid.status, failed.status]).toEqual([202, 202]);
    expect((await shopper.settledOrder(paying, paid.body.orderId)).status).toBe('paid');
    expect((await shopper.settledOrder(declined, failed.body.orderId)).status).toBe('payment_failed');
    expect(await shopper.stock(admin, variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const metrics = await api.get('/metrics');
    // the subscribers consumed from their RabbitMQ queues: the instrumented bus counted them
    expect(String(metrics.body)).toMatch(/floodgate_bus_consumed_total\{type="order.placed",subscriber="payments.record-placed-order",result="ok"[^}]*\} [1-9]/);
  });
});
