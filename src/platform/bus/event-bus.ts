/** An event as it travels: past-tense type (`order.placed`), unique id for de-duplication. */
export interface DomainEvent<P = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  payload: P;
}

export type EventHandler<P = unknown> = (event: DomainEvent<P>) => Promise<void>;

/**
 * Delivery is at-least-once: a handler may see the same event twice and must be idempotent
 * (key on event.id or on the business id it carries).
 */
export interface EventBus {
  /** resolves once every subscriber has handled the event (in-process) or the broker confirmed it */
  publish(event: DomainEvent): Promise<void>;
  /** `subscriber` names the consumer (one queue per subscriber in RabbitMQ) */
  subscribe<P>(type: string, subscriber: string, handler: EventHandler<P>): void;
  close(): Promise<void>;
}
