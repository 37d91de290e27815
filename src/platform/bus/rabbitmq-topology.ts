import type { Channel } from 'amqplib';

/**
 * The names and declarations of the RabbitMQ topology, in one place so the bus, the DLQ commands and
 * the tests agree on them.
 *
 *   <exchange>                 topic exchange; routing key = event type
 *   <exchange>.unrouted        where an event nobody is bound to goes (alternate exchange + queue), so an
 *                              event published before its first subscriber ever started is kept, not dropped
 *   <exchange>.<subscriber>            one quorum queue per subscriber, bound by event type
 *   <exchange>.<subscriber>.retry      holds a failed event for its backoff (per-message TTL), then
 *                                      dead-letters it back to the subscriber's queue
 *   <exchange>.<subscriber>.dlq        poison events (failed maxAttempts times), with the reason in headers
 */
export const topologyNames = (exchange: string, subscriber?: string) => ({
  exchange,
  unrouted: `${exchange}.unrouted`,
  queue: subscriber ? `${exchange}.${subscriber}` : '',
  retry: subscriber ? `${exchange}.${subscriber}.retry` : '',
  dlq: subscriber ? `${exchange}.${subscriber}.dlq` : '',
});

/** headers the bus writes on a retried or dead-lettered copy */
export const HEADERS = {
  attempts: 'x-floodgate-attempts',
  error: 'x-floodgate-error',
  subscriber: 'x-floodgate-subscriber',
  failedAt: 'x-floodgate-failed-at',
} as const;

// quorum queues: replicated, durable, and they count deliveries (x-delivery-count) themselves
const QUORUM = { 'x-queue-type': 'quorum' } as const;
// at-least-once dead-lettering (RabbitMQ ≥ 3.10) needs reject-publish overflow; without it a dead-lettered
// message could be dropped if the target were unavailable at that moment
const SAFE_DEAD_LETTERING = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } as const;

export async function declareExchange(channel: Channel, exchange: string): Promise<void> {
  const names = topologyNames(exchange);
  await channel.assertExchange(names.unrouted, 'fanout', { durable: true });
  await channel.assertQueue(names.unrouted, { durable: true, arguments: { ...QUORUM } });
  await channel.bindQueue(names.unrouted, names.unrouted, '');
  await channel.assertExchange(exchange, 'topic', { durable: true, alternateExchange: names.unrouted });
}

/**
 * The broker's backstop for an event that never gets to fail cleanly (its consumer dies on it every
 * time): past this many deliveries the broker dead-letters it to the DLQ itself. A constant, not a
 * setting: RabbitMQ refuses to re-declare a queue with other arguments, so a value that changed between
 * deployments would stop every consumer of that queue.
 */
const BROKER_DELIVERY_LIMIT = 20;

/** The subscriber's queue, its retry queue and its DLQ; every argument is constant (see above). */
export async function declareSubscriber(channel: Channel, exchange: string, subscriber: string): Promise<void> {
  const names = topologyNames(exchange, subscriber);
  await channel.assertQueue(names.dlq, { durable: true, arguments: { ...QUORUM } });
  await channel.assertQueue(names.queue, {
    durable: true,
    arguments: { ...QUORUM, ...SAFE_DEAD_LETTERING, 'x-delivery-limit': BROKER_DELIVERY_LIMIT, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.dlq },
  });
  await channel.assertQueue(names.retry, {
    durable: true,
    arguments: { ...QUORUM, ...SAFE_DEAD_LETTERING, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.queue },
  });
}

export async function bindSubscriber(channel: Channel, exchange: string, subscriber: string, type: string): Promise<void> {
  await channel.bindQueue(topologyNames(exchange, subscriber).queue, exchange, type);
}

/** Removes everything declareExchange/declareSubscriber made (tests; never the running shop). */
export async function deleteTopology(channel: Channel, exchange: string, subscribers: Iterable<string>): Promise<void> {
  for (const subscriber of subscribers) {
    const names = topologyNames(exchange, subscriber);
    for (const queue of [names.queue, names.retry, names.dlq]) await channel.deleteQueue(queue);
  }
  const names = topologyNames(exchange);
  await channel.deleteExchange(exchange);
  await channel.deleteQueue(names.unrouted);
  await channel.deleteExchange(names.unrouted);
}
