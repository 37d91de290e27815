import type { Metrics } from '../telemetry/metrics.js';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.js';

const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Wraps any EventBus (in-process or RabbitMQ) so publish and consume counts are measured the same
 * way in both modes. Only the event type and subscriber become labels: payloads carry payment
 * tokens and addresses and are never looked at here.
 */
export function instrumentEventBus(bus: EventBus, metrics: Metrics): EventBus {
  const published = metrics.counter('floodgate_bus_published_total', 'Events the bus accepted (delivered in-process, or confirmed by the broker)', ['type']);
  const publishErrors = metrics.counter('floodgate_bus_publish_errors_total', 'Publishes that failed; the outbox relay retries them', ['type']);
  const consumed = metrics.counter('floodgate_bus_consumed_total', 'Events handled by a subscriber, by result (ok | error)', ['type', 'subscriber', 'result']);
  const handlerDuration = metrics.histogram('floodgate_bus_handler_duration_seconds', 'Time a subscriber spent on one event', ['type', 'subscriber'], HANDLER_BUCKETS);

  return {
    async publish(event: DomainEvent) {
      try {
        await bus.publish(event);
      } catch (err) {
        publishErrors.inc({ type: event.type });
        throw err;
      }
      published.inc({ type: event.type });
    },
    subscribe<P>(type: string, subscriber: string, handler: EventHandler<P>) {
      bus.subscribe<P>(type, subscriber, async (event) => {
        const stop = handlerDuration.startTimer({ type, subscriber });
        try {
          await handler(event);
          consumed.inc({ type, subscriber, result: 'ok' });
        } catch (err) {
          consumed.inc({ type, subscriber, result: 'error' });
          throw err;
        } finally {
          stop();
        }
      });
    },
    close: () => bus.close(),
  };
}
