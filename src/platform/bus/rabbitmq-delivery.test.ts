import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import type { EventHandler } from './event-bus.js';
import { handleDelivery, makeRetryDelay } from './rabbitmq-delivery.js';
import { HEADERS } from './rabbitmq-topology.js';

const policy = { exchange: 'x', maxAttempts: 3, retryDelayMs: (n: number) => n * 100 };
const message = (body: unknown, headers: Record<string, unknown> = {}) =>
  ({ content: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), fields: {}, properties: { headers } }) as unknown as ConsumeMessage;
const event = { id: 'e-1', type: 'order.placed', occurredAt: '2026-11-29T00:00:00.000Z', payload: { orderId: 'o-1' } };
const handlers = (...list: EventHandler[]) => new Map([['order.placed', list]]);

describe('handling one RabbitMQ delivery', () => {
  it('when every handler succeeds, then the delivery is acked and the handlers saw the event as published', async () => {
    const seen: unknown[] = [];
    expect(await handleDelivery(message(event), 'payments', handlers(async (e) => void seen.push(e)), policy)).toEqual({ kind: 'ack' });
    expect(seen).toEqual([event]);
  });

  it('when a handler fails with tries left, then a copy goes to the retry queue with the attempt count, the reason and the backoff', async () => {
    const outcome = await handleDelivery(message(event, { [HEADERS.attempts]: 1 }), 'payments', handlers(async () => { throw new Error('psp down'); }), policy);
    expect(outcome).toMatchObject({ kind: 'retry', queue: 'x.payments.retry', delayMs: 200, headers: { [HEADERS.attempts]: 2, [HEADERS.error]: expect.stringContaining('psp down') } });
  });

  it('when a handler fails for the last allowed time, then the event goes to the DLQ with the reason and the subscriber', async () => {
    const outcome = await handleDelivery(message(event, { [HEADERS.attempts]: 2 }), 'payments', handlers(async () => {}, async () => { throw new Error('bad payload'); }), policy);
    expect(outcome).toMatchObject({ kind: 'dead-letter', queue: 'x.payments.dlq', headers: { [HEADERS.attempts]: 3, [HEADERS.subscriber]: 'payments', [HEADERS.error]: expect.stringContaining('bad payload') } });
  });

  it('when the body is not an event or nobody here handles its type, then it goes to the DLQ at once, without retries', async () => {
    const never = handlers(async () => { throw new Error('must not run'); });
    expect(await handleDelivery(message('{not json'), 'payments', never, policy)).toMatchObject({ kind: 'dead-letter', reason: expect.stringContaining('unreadable event') });
    expect(await handleDelivery(message({ id: 1, type: 'order.placed' }), 'payments', never, policy)).toMatchObject({ kind: 'dead-letter', reason: expect.stringContaining('not a DomainEvent') });
    expect(await handleDelivery(message({ ...event, type: 'order.archived' }), 'payments', never, policy)).toMatchObject({ kind: 'dead-letter', reason: 'no handler for order.archived in payments' });
  });

  it('when retries back off, then each delay lies between half and all of its exponential step, capped', () => {
    const delay = makeRetryDelay({ initialMs: 100, maxMs: 1_000 });
    for (let i = 0; i < 50; i++) {
      expect(delay(1)).toBeGreaterThanOrEqual(50);
      expect(delay(1)).toBeLessThanOrEqual(100);
      expect(delay(3)).toBeGreaterThanOrEqual(200);
      expect(delay(3)).toBeLessThanOrEqual(400);
      expect(delay(30)).toBeLessThanOrEqual(1_000);
      expect(delay(30)).toBeGreaterThanOrEqual(500);
    }
  });
});
