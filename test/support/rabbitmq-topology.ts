import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { deleteTopology } from '../../src/platform/bus/rabbitmq-topology.js';
import { TEST_SERVICES } from './services.js';

/**
 * The subscribers the commerce services declare (bus.subscribe calls in src/services). A shop test on
 * RabbitMQ deletes their queues afterwards; one missing here leaves idle queues behind on the shared broker,
 * and the CI machine's broker collects them run after run.
 */
export const SHOP_SUBSCRIBERS = [
  'orders.on-payment-captured',
  'orders.on-payment-failed',
  'orders.release-hold-of-cancelled-order',
  'orders.on-reservation-expired',
  'payments.record-placed-order',
  'flash-sales.on-order-paid',
  'flash-sales.on-order-cancelled',
  'flash-sales.on-order-payment-failed',
  'flash-sales.sync-counters',
];

/** A fresh exchange name, so a test shop never consumes another test's events on the shared broker. */
export const uniqueExchange = () => `floodgate-test.${randomUUID()}`;

export async function deleteShopTopology(exchange: string, subscribers: Iterable<string> = SHOP_SUBSCRIBERS): Promise<void> {
  const connection = await connect(TEST_SERVICES.rabbitmq);
  try {
    await deleteTopology(await connection.createChannel(), exchange, subscribers);
  } finally {
    await connection.close();
  }
}
