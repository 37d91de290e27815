import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventBus } from './event-bus.js';

const event = (type: string, payload: unknown = {}): DomainEvent => ({ id: uuidv7(), type, occurredAt: new Date().toISOString(), payload });

/**
 * What the outbox relay does with an event: publish it, and publish it again while publish fails.
 * The in-process bus fails the publish when a handler fails; RabbitMQ confirms at once and retries
 * the handler itself. Either way the handler gets the event again until it handled it.
 */
async function deliverLikeTheOutbox(bus: EventBus, e: DomainEvent, tries = 20) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bus.publish(e);
    } catch (err) {
      if (attempt >= tries) throw err;
    }
  }
}

const POLL = { timeout: 15_000, interval: 20 };

/**
 * One suite for every EventBus adapter (in-process and RabbitMQ). Delivery may be synchronous
 * (in-process: publish waits for the handlers) or asynchronous (RabbitMQ: publish waits for the
 * broker's confirm), so the suite waits for effects with expect.poll and never assumes either.
 */
export function eventBusContract(name: string, make: () => Promise<EventBus>) {
  describe(`${name} event bus`, () => {
    it('when an event is published, then every subscriber of its type gets it once and others do not', async () => {
      const bus = await make();
      const seen: string[] = [];
      bus.subscribe('order.placed', 'payments', async (e) => void seen.push(`payments:${e.id}`));
      bus.subscribe('order.placed', 'notifications', async (e) => void seen.push(`notifications:${e.id}`));
      bus.subscribe('order.paid', 'payments', async (e) => void seen.push(`payments-paid:${e.id}`));
      const e = event('order.placed');
      await bus.publish(e);
      await expect.poll(() => [...seen].sort(), POLL).toEqual([`notifications:${e.id}`, `payments:${e.id}`]);
      // an event published after it reaches the same queues later: once it was handled, the first one cannot come again
      const paid = event('order.paid');
      await bus.publish(paid);
      await expect.poll(() => [...seen].sort(), POLL).toEqual([`notifications:${e.id}`, `payments:${e.id}`, `payments-paid:${paid.id}`].sort());
      await bus.close();
    });

    it('when a handler fails, then it gets the event again until it has handled it', async () => {
      const bus = await make();
      const calls: string[] = [];
      bus.subscribe('order.placed', 'payments', async (e) => {
        calls.push(e.id);
        if (calls.length < 3) throw new Error('psp down');
      });
      const e = event('order.placed', { orderId: 'o-1' });
      await deliverLikeTheOutbox(bus, e);
      await expect.poll(() => calls, POLL).toEqual([e.id, e.id, e.id]);
      await bus.close();
    });

    it('when one subscriber fails, then the other subscribers still get the event', async () => {
      const bus = await make();
      const notified: string[] = [];
      let failures = 0;
      bus.subscribe('order.placed', 'payments', async () => {
        if (++failures < 2) throw new Error('psp down');
      });
      bus.subscribe('order.placed', 'notifications', async (e) => void notified.push(e.id));
      const e = event('order.placed');
      await deliverLikeTheOutbox(bus, e);
      await expect.poll(() => [...new Set(notified)], POLL).toEqual([e.id]);
      await expect.poll(() => failures, POLL).toBeGreaterThanOrEqual(2);
      await bus.close();
    });

    it('when 200 events are published at once, then each subscriber gets every one of them (at least once) with its payload', async () => {
      const bus = await make();
      const got = new Map<string, unknown>();
      bus.subscribe<{ n: number }>('stock.released', 'inventory', async (e) => void got.set(e.id, e.payload));
      const events = Array.from({ length: 200 }, (_, n) => event('stock.released', { n }));
      await Promise.all(events.map((e) => bus.publish(e)));
      await expect.poll(() => got.size, POLL).toBe(200);
      for (const e of events) expect(got.get(e.id)).toEqual(e.payload);
      await bus.close();
    });

    it('when nobody subscribes to a type, then publishing it succeeds', async () => {
      const bus = await make();
      await expect(bus.publish(event('nobody.listens'))).resolves.toBeUndefined();
      await bus.close();
    });
  });
}
