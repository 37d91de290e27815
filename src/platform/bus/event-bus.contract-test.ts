import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventBus } from './event-bus.js';

const event = (type: string, payload: unknown = {}): DomainEvent => ({ id: uuidv7(), type, occurredAt: new Date().toISOString(), payload });

/** One suite for every EventBus adapter (in-process now; RabbitMQ with the production topology). */
export function eventBusContract(name: string, make: () => Promise<EventBus>) {
  describe(`${name} event bus`, () => {
    it('when an event is published, then every subscriber of its type gets it once and others do not', async () => {
      const bus = await make();
      const seen: string[] = [];
      bus.subscribe('order.placed', 'payments', async (e) => void seen.push(`payments:${e.id}`));
      bus.subscribe('order.placed', 'notifications', async (e) => void seen.push(`notifications:${e.id}`));
      bus.subscribe('order.paid', 'payments', async () => void seen.push('wrong'));
      const e = event('order.placed');
      await bus.publish(e);
      expect(seen.sort()).toEqual([`notifications:${e.id}`, `payments:${e.id}`]);
      await bus.close();
    });

    it('when a subscriber fails, then publish fails so the outbox keeps the event for redelivery', async () => {
      const bus = await make();
      bus.subscribe('order.placed', 'payments', async () => { throw new Error('psp down'); });
      await expect(bus.publish(event('order.placed'))).rejects.toThrow(/psp down/);
      await bus.close();
    });

    it('when nobody subscribes to a type, then publishing it succeeds', async () => {
      const bus = await make();
      await expect(bus.publish(event('nobody.listens'))).resolves.toBeUndefined();
      await bus.close();
    });
  });
}
