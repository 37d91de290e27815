import type { DomainEvent, EventBus, EventHandler } from './event-bus.js';

/**
 * The all-in-one bus. publish() waits for every subscriber, and fails if any failed, so the
 * outbox relay keeps the event and delivers it again: nothing is acknowledged before it is handled.
 */
export function createInProcessEventBus(): EventBus {
  const handlers = new Map<string, Array<{ subscriber: string; handle: EventHandler }>>();
  return {
    async publish(event: DomainEvent) {
      const targets = handlers.get(event.type) ?? [];
      const results = await Promise.allSettled(targets.map((t) => t.handle(event)));
      const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i]?.subscriber}: ${String((r.reason as Error)?.message ?? r.reason)}`] : []));
      if (failures.length) throw new Error(`event ${event.type} ${event.id} failed in ${failures.join('; ')}`);
    },
    subscribe<P>(type: string, subscriber: string, handle: EventHandler<P>) {
      const list = handlers.get(type) ?? [];
      list.push({ subscriber, handle: handle as EventHandler });
      handlers.set(type, list);
    },
    async close() {
      handlers.clear();
    },
  };
}
