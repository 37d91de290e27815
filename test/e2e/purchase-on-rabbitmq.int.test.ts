import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { deleteShopTopology, uniqueExchange } from '../support/rabbitmq-topology.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const rabbitmq = await serviceAvailable('rabbitmq');

describe.skipIf(!rabbitmq)('purchase with events on RabbitMQ (AMQP_URL set)', () => {
  const exchange = uniqueExchange();
  let shop: TestShop;
  let api: Api;
  let shopper: ReturnType<typeof createShopper>;
  let admin: string;
  let proxy: TcpProxy;

  beforeAll(async () => {
    // the shop reaches the shared broker through a proxy this test may cut
    const broker = new URL(TEST_SERVICES.rabbitmq);
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const through = new URL(TEST_SERVICES.rabbitmq);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    shop = await startTestShop('pglite', { AMQP_URL: through.toString(), AMQP_EXCHANGE: exchange, AMQP_PUBLISH_TIMEOUT_MS: '1000' });
    api = createApi(shop.url);
    shopper = createShopper(api);
    admin = await shopper.adminToken(shop.admin);
  });
  afterAll(async () => {
    await shop?.dispose();
    await proxy?.close();
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
  it('when RabbitMQ is unreachable, then /readyz answers 503, checkout still answers 202, and the order is paid once the link is back', async () => {
    const { variantId } = await shopper.createProduct(admin, { stock: 2 });
    const guest = await shopper.guestToken();
    const cartId = await shopper.cartWith(guest, variantId, 1);
    proxy.cut();
    await expect.poll(async () => (await api.get('/readyz')).status, { timeout: 10_000 }).toBe(503);
    // the order intent is durable in PostgreSQL (the outbox); only its events wait for the broker
    const checkout = await shopper.checkout(guest, cartId, 'tok_visa');
    expect(checkout.status).toBe(202);
    expect((await api.get(`/v1/orders/${checkout.body.orderId}`, { token: guest })).body.status).toBe('pending');
    proxy.restore();
    await expect.poll(async () => (await api.get('/readyz')).status, { timeout: 15_000 }).toBe(200);
    expect((await shopper.settledOrder(guest, checkout.body.orderId, 30_000)).status).toBe('paid');
  });
});
