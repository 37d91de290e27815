import type { ConsumeMessage } from 'amqplib';
import { describeError } from '../telemetry/failure-log.js';
import { jitteredBackoffMs } from '../resilience/backoff.js';
import type { DomainEvent, EventHandler } from './event-bus.js';
import { HEADERS, topologyNames } from './rabbitmq-topology.js';

/** What a delivery ends in; the bus carries it out on the channels it holds. */
export type DeliveryOutcome =
  | { kind: 'ack' }
  /** failed, tries left: a copy waits `delayMs` in the retry queue, then the original is acked */
  | { kind: 'retry'; queue: string; delayMs: number; headers: Record<string, unknown>; content: Buffer }
  /** poison: a copy with the reason goes to the DLQ, then the original is acked */
  | { kind: 'dead-letter'; queue: string; headers: Record<string, unknown>; content: Buffer; reason: string };

export interface DeliveryPolicy {
  exchange: string;
  /** a handler failing this many times in a row sends the event to the DLQ */
  maxAttempts: number;
  /** delay before the n-th retry (n from 1) */
  retryDelayMs: (attempt: number) => number;
}

/**
 * Runs the handlers of one subscriber on one delivery and decides its outcome. Never throws: a
 * handler's failure, an unreadable body and an event type nobody handles all become an outcome.
 */
export async function handleDelivery(message: ConsumeMessage, subscriber: string, handlers: ReadonlyMap<string, EventHandler[]>, policy: DeliveryPolicy): Promise<DeliveryOutcome> {
  const names = topologyNames(policy.exchange, subscriber);
  const headers = { ...(message.properties.headers ?? {}) };
  const previousFailures = Number(headers[HEADERS.attempts] ?? 0) || 0;
  const deadLetter = (reason: string, attempts: number): DeliveryOutcome => ({
    kind: 'dead-letter',
    queue: names.dlq,
    content: message.content,
    reason,
    headers: { ...headers, [HEADERS.attempts]: attempts, [HEADERS.error]: reason.slice(0, 1_000), [HEADERS.subscriber]: subscriber, [HEADERS.failedAt]: new Date().toISOString() },
  });

  let event: DomainEvent;
  try {
    event = parseEvent(message);
  } catch (err) {
    return deadLetter(`unreadable event: ${describeError(err)}`, previousFailures);
  }
  const targets = handlers.get(event.type);
  // a binding left from an older deployment: nobody here can ever handle it, so retrying is pointless
  if (!targets || targets.length === 0) return deadLetter(`no handler for ${event.type} in ${subscriber}`, previousFailures);

  const results = await Promise.allSettled(targets.map((handle) => handle(event)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failure) return { kind: 'ack' };

  const attempts = previousFailures + 1;
  const reason = describeError(failure.reason);
  if (attempts >= policy.maxAttempts) return deadLetter(reason, attempts);
  return {
    kind: 'retry',
    queue: names.retry,
    delayMs: policy.retryDelayMs(attempts),
    content: message.content,
    headers: { ...headers, [HEADERS.attempts]: attempts, [HEADERS.error]: reason.slice(0, 1_000) },
  };
}

function parseEvent(message: ConsumeMessage): DomainEvent {
  const body = JSON.parse(message.content.toString('utf8')) as Partial<DomainEvent>;
  if (typeof body !== 'object' || body === null || typeof body.id !== 'string' || typeof body.type !== 'string' || typeof body.occurredAt !== 'string') {
    throw new Error('body is not a DomainEvent {id, type, occurredAt, payload}');
  }
  return { id: body.id, type: body.type, occurredAt: body.occurredAt, payload: body.payload };
}

/** exponential backoff with jitter (half to all of the step), like the outbox relay's: failures that happened together do not all come back together */
export const makeRetryDelay = ({ initialMs, maxMs }: { initialMs: number; maxMs: number }) => (attempt: number) =>
  Math.max(1, jitteredBackoffMs(attempt, { initialMs, maxMs }));
