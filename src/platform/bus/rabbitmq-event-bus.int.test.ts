import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_SERVICES } from '../../../test/support/services.js';
import type { DomainEvent, EventBus } from './event-bus.js';
import { eventBusContract } from './event-bus.contract-test.js';
import { createRabbitMqEventBus, type RabbitMqEventBusOptions } from './rabbitmq-event-bus.js';
import { dropDeadEvents, listDeadEvents, replayDeadEvents } from './rabbitmq-dlq.js';
import { deleteTopology, HEADERS, topologyNames } from './rabbitmq-topology.js';

const available = await serviceAvailable('rabbitmq');
const logger = pino({ level: 'silent' });
/** every exchange a test made, with the subscribers bound to it: deleted after the file */
const made = new Map<string, Set<string>>();

/** A bus on its own exchange; retries are quick so the suite does not wait for production backoff. */
function makeTestBus(overrides: Partial<RabbitMqEventBusOptions> = {}) {
  const exchange = overrides.exchange ?? `floodgate-test.${randomUUID()}`;
  const subscribers = made.get(exchange) ?? new Set<string>();
  made.set(exchange, subscribers);
  const bus = createRabbitMqEventBus({ url: TEST_SERVICES.rabbitmq, logger, exchange, retry: { initialMs: 20, maxMs: 200 }, publishTimeoutMs: 5_000, ...overrides });
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (type, subscriber, handler) => {
    subscribers.add(subscriber);
    subscribe(type, subscriber, handler);
  };
  return { bus, exchange };
}

afterAll(async () => {
  if (!available || made.size === 0) return;
  const connection = await connect(TEST_SERVICES.rabbitmq);
  const channel = await connection.createChannel();
  for (const [exchange, subscribers] of made) await deleteTopology(channel, exchange, subscribers);
  await connection.close();
});

const event = (type: string, payload: unknown = {}): DomainEvent => ({ id: uuidv7(), type, occurredAt: new Date().toISOString(), payload });

/** reads (and acks) what is in a queue, without a consumer */
async function drainQueue(queue: string) {
  const connection = await connect(TEST_SERVICES.rabbitmq);
  const channel = await connection.createChannel();
  const messages = [];
  for (let m = await channel.get(queue); m; m = await channel.get(queue)) {
    messages.push({ body: JSON.parse(m.content.toString()) as DomainEvent, headers: m.properties.headers ?? {} });
    channel.ack(m);
  }
  await connection.close();
  return messages;
}

describe.skipIf(!available)('RabbitMQ event bus', () => {
  eventBusContract('RabbitMQ', async () => makeTestBus().bus);

  it('when a handler keeps failing, then after maxAttempts the event lands in the DLQ with the reason and the events behind it still flow', async () => {
    const { bus, exchange } = makeTestBus({ maxAttempts: 3 });
    const calls = new Map<string, number>();
    bus.subscribe<{ poison: boolean }>('order.placed', 'payments', async (e) => {
      calls.set(e.id, (calls.get(e.id) ?? 0) + 1);
      if (e.payload.poison) throw new Error('cannot read this order');
    });
    const poison = event('order.placed', { poison: true });
    const healthy = Array.from({ length: 5 }, () => event('order.placed', { poison: false }));
    await bus.publish(poison);
    for (const e of healthy) await bus.publish(e);

    await expect.poll(() => healthy.every((e) => calls.get(e.id) === 1), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => calls.get(poison.id), { timeout: 10_000 }).toBe(3);
    const dlq = topologyNames(exchange, 'payments').dlq;
    await expect.poll(async () => (await checkDepth(dlq)), { timeout: 10_000 }).toBe(1);
    await bus.close();
    const [dead] = await drainQueue(dlq);
    expect(dead?.body.id).toBe(poison.id);
    expect(dead?.headers[HEADERS.error]).toMatch(/cannot read this order/);
    expect(dead?.headers[HEADERS.attempts]).toBe(3);
    expect(dead?.headers[HEADERS.subscriber]).toBe('payments');
    expect(calls.get(poison.id)).toBe(3); // not retried after it was dead-lettered
  });

  it('when a subscriber process starts after events were published to nobody, then they wait in the unrouted queue instead of being dropped', async () => {
    const { bus, exchange } = makeTestBus();
    const e = event('order.refunded');
    await bus.publish(e);
    await bus.close();
    const kept = await drainQueue(topologyNames(exchange).unrouted);
    expect(kept.map((m) => m.body.id)).toEqual([e.id]);
  });

  it('when a handler is slow, then at most `prefetch` events of one subscriber are in its hands at once', async () => {
    const { bus } = makeTestBus({ prefetch: 3 });
    let running = 0;
    let most = 0;
    let done = 0;
    bus.subscribe('stock.released', 'inventory', async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      done++;
    });
    await Promise.all(Array.from({ length: 20 }, () => bus.publish(event('stock.released'))));
    await expect.poll(() => done, { timeout: 10_000 }).toBe(20);
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThanOrEqual(2);
    await bus.close();
  });

  it('when the bus closes while a handler runs, then the handler finishes and its event is acked, not handed to the next process', async () => {
    const { bus: first, exchange } = makeTestBus();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let finished = 0;
    first.subscribe('order.placed', 'payments', async () => {
      started++;
      await gate;
      finished++;
    });
    const e = event('order.placed');
    await first.publish(e);
    await expect.poll(() => started, { timeout: 10_000 }).toBe(1);
    const closing = first.close();
    release();
    await closing;
    expect(finished).toBe(1);

    const { bus: next } = makeTestBus({ exchange });
    const seen: string[] = [];
    next.subscribe('order.placed', 'payments', async (got) => void seen.push(got.id));
    const sentinel = event('order.placed');
    await next.publish(sentinel);
    // a requeued event would come back ahead of anything published after it
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([sentinel.id]);
    await next.close();
  });

  it('when the broker is unreachable, then publish rejects within its deadline with a transient error and close does not hang', async () => {
    const bus: EventBus = createRabbitMqEventBus({ url: 'amqp://guest:guest@127.0.0.1:1', logger, exchange: `floodgate-test.${randomUUID()}`, publishTimeoutMs: 300, reconnect: { initialMs: 10, maxMs: 50 } });
    const started = Date.now();
    await expect(bus.publish(event('order.placed'))).rejects.toMatchObject({ name: 'BrokerUnavailableError', transient: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    await bus.close();
  });
});

async function checkDepth(queue: string): Promise<number> {
  const connection = await connect(TEST_SERVICES.rabbitmq);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

describe.skipIf(!available)('RabbitMQ dead-letter queue commands', () => {
  it('when poison events sit in a DLQ, then list shows them with the reason, replay sends one back with fresh attempts, and drop deletes the other', async () => {
    const { bus, exchange } = makeTestBus({ maxAttempts: 2 });
    let healed = false;
    const handled: string[] = [];
    bus.subscribe('order.placed', 'payments', async (e) => {
      if (!healed) throw new Error(`cannot charge ${e.id}`);
      handled.push(e.id);
    });
    const [first, second] = [event('order.placed'), event('order.placed')];
    await bus.publish(first);
    await bus.publish(second);
    const target = { url: TEST_SERVICES.rabbitmq, exchange, subscriber: 'payments' };
    await expect.poll(async () => (await listDeadEvents(target)).length, { timeout: 10_000 }).toBe(2);

    const listed = await listDeadEvents(target);
    expect(listed.map((d) => d.id).sort()).toEqual([first.id, second.id].sort());
    expect(listed.find((d) => d.id === first.id)).toMatchObject({ type: 'order.placed', subscriber: 'payments', attempts: 2, reason: expect.stringContaining(`cannot charge ${first.id}`) });
    expect((await listDeadEvents(target)).length).toBe(2); // listing takes nothing away

    healed = true; // the cause is fixed
    expect((await replayDeadEvents(target, [first.id])).map((d) => d.id)).toEqual([first.id]);
    await expect.poll(() => handled, { timeout: 10_000 }).toEqual([first.id]);
    expect((await dropDeadEvents(target)).map((d) => d.id)).toEqual([second.id]);
    expect(await listDeadEvents(target)).toEqual([]);
    expect(handled).toEqual([first.id]);
    await bus.close();
  });
});
