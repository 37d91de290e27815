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
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ subscriber: targets[i]?.subscriber, reason: r.reason as unknown }] : []));
      if (failed.length === 0) return;
      const summary = failed.map((f) => `${f.subscriber}: ${String((f.reason as Error)?.message ?? f.reason)}`).join('; ');
      // the subscribers' own errors ride along as the cause, so the relay can tell an outage from a poison event
      throw new Error(`event ${event.type} ${event.id} failed in ${summary}`, { cause: failed.length === 1 ? failed[0]!.reason : new AggregateError(failed.map((f) => f.reason)) });
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
