import { connect, IllegalOperationError, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import type { Logger } from 'pino';
import { createAggregatedFailureLog } from '../telemetry/failure-log.js';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.js';
import { handleDelivery, makeRetryDelay, type DeliveryOutcome } from './rabbitmq-delivery.js';
import { bindSubscriber, declareExchange, declareSubscriber, topologyNames } from './rabbitmq-topology.js';

export interface RabbitMqEventBusOptions {
  /** amqp://user:pass@host:port/vhost */
  url: string;
  logger: Logger;
  /** the topic exchange every event goes through; tests use a unique one */
  exchange?: string;
  /** unacknowledged deliveries per subscriber at once: bounds the memory and the work a slow handler piles up */
  prefetch?: number;
  /** a handler failing this many times for one event sends it to the subscriber's DLQ with the reason */
  maxAttempts?: number;
  /** delay before the n-th retry of a failed handler: initialMs·2^(n-1), at most maxMs, jittered */
  retry?: { initialMs: number; maxMs: number };
  /** longest wait for the broker's confirm (or for a connection) before publish rejects; the outbox retries */
  publishTimeoutMs?: number;
  /** delay between reconnect attempts: initialMs·2^(n-1), at most maxMs, jittered */
  reconnect?: { initialMs: number; maxMs: number };
  connectTimeoutMs?: number;
  /** AMQP heartbeat: a silently dead link is noticed within about twice this */
  heartbeatSeconds?: number;
  /** how long close() waits for handlers that are running */
  closeTimeoutMs?: number;
}

export interface RabbitMqEventBus extends EventBus {
  /** connected with every subscription declared: for /readyz */
  isConnected(): boolean;
  /** resolves once connected (first start, after an outage); rejects after timeoutMs */
  ready(timeoutMs?: number): Promise<void>;
}

/** The broker could not take the event now (down, unreachable, no confirm in time): transient, the outbox retries it. */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
  readonly transient = true;
}

interface Session {
  connection: ChannelModel;
  publisher: ConfirmChannel;
  consumer: Channel;
  /** subscriber → consumer tag */
  consuming: Map<string, string>;
  bound: Set<string>;
  /** declarations run one after another; a publish waits for those queued before it */
  topology: Promise<void>;
}

interface Deferred { promise: Promise<void>; resolve(): void; reject(err: Error): void }
const defer = (): Deferred => {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {}); // rejected at close whether or not anyone waits
  return { promise, resolve, reject };
};

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerUnavailableError(`${what}: no answer from RabbitMQ within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The production event bus. publish() resolves once RabbitMQ confirmed the event (persistent, on
 * quorum queues), so the outbox marks it sent only then. Each subscriber has its own queue; a
 * handler's failure sends the event through the retry queue with backoff, and after maxAttempts
 * into the DLQ with the reason (rabbitmq-topology.ts). Deliveries are acked after the handler, so a
 * process that dies mid-event gets it again: handlers are idempotent. A lost connection is
 * re-established with backoff, and every subscription re-declared, by the bus itself.
 */
export function createRabbitMqEventBus(options: RabbitMqEventBusOptions): RabbitMqEventBus {
  const { logger, exchange = 'floodgate.events', prefetch = 16, maxAttempts = 8, publishTimeoutMs = 5_000, connectTimeoutMs = 5_000, heartbeatSeconds = 10, closeTimeoutMs = 10_000 } = options;
  const reconnectDelay = makeRetryDelay(options.reconnect ?? { initialMs: 100, maxMs: 10_000 });
  const policy = { exchange, maxAttempts, retryDelayMs: makeRetryDelay(options.retry ?? { initialMs: 1_000, maxMs: 60_000 }) };
  const failures = createAggregatedFailureLog({ logger, dependency: 'rabbitmq' });
  const url = new URL(options.url);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(heartbeatSeconds));

  const subscriptions = new Map<string, Map<string, EventHandler[]>>();
  const inFlight = new Set<Promise<void>>();
  let session: Session | undefined;
  let connected = defer();
  let closing = false;
  let connecting: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const lose = (lost: Session, why: string) => {
    if (session !== lost) return;
    session = undefined;
    void lost.connection.close().catch(() => {}); // a channel error leaves the connection open: drop it, start clean
    if (closing) return;
    connected = defer();
    logger.warn({ exchange, why }, 'RabbitMQ connection lost; reconnecting');
    reconnect();
  };

  const syncTopology = async (s: Session) => {
    for (const [subscriber, byType] of subscriptions) {
      if (!s.consuming.has(subscriber)) {
        await declareSubscriber(s.publisher, exchange, subscriber);
        const { consumerTag } = await s.consumer.consume(topologyNames(exchange, subscriber).queue, (msg) => onMessage(s, subscriber, msg), { noAck: false });
        s.consuming.set(subscriber, consumerTag);
      }
      for (const type of byType.keys()) {
        const key = `${subscriber}\u0000${type}`;
        if (s.bound.has(key)) continue;
        await bindSubscriber(s.publisher, exchange, subscriber, type);
        s.bound.add(key);
      }
    }
  };

  const queueTopology = (s: Session) => {
    s.topology = s.topology.then(() => syncTopology(s)).catch((err: unknown) => {
      failures.failure('topology', err);
      lose(s, 'declaring the topology failed');
    });
  };

  const openSession = async (): Promise<Session> => {
    const connection = await connect(url.toString(), { timeout: connectTimeoutMs, clientProperties: { connection_name: `floodgate ${exchange}` } });
    // every emitter gets its 'error' listener the moment it exists: an unhandled 'error' event would crash
    // the process. 'close' follows an error; while the session is being set up, the failing step rejects instead
    connection.on('error', (err: Error) => failures.failure('connection', err));
    connection.on('handler-error', (err: Error, eventName: string) => logger.error({ err, eventName }, 'a RabbitMQ connection listener threw'));
    connection.on('blocked', (reason: string) => logger.warn({ reason }, 'RabbitMQ blocked publishing (resource alarm); publishes wait, then time out'));
    const watch = <C extends Channel>(name: string, channel: C): C => {
      channel.on('error', (err: Error) => failures.failure(`${name} channel`, err));
      channel.on('handler-error', (err: Error, eventName: string) => logger.error({ err, eventName }, `a RabbitMQ ${name} channel listener threw`));
      return channel;
    };
    try {
      const publisher = watch('publisher', await connection.createConfirmChannel());
      const consumer = watch('consumer', await connection.createChannel());
      const s: Session = { connection, publisher, consumer, consuming: new Map(), bound: new Set(), topology: Promise.resolve() };
      connection.on('close', () => lose(s, 'connection closed'));
      publisher.on('close', () => lose(s, 'publisher channel closed'));
      consumer.on('close', () => lose(s, 'consumer channel closed'));
      await consumer.prefetch(prefetch);
      await declareExchange(publisher, exchange);
      await syncTopology(s);
      return s;
    } catch (err) {
      await connection.close().catch(() => {});
      throw err;
    }
  };

  const reconnect = () => {
    if (connecting || closing) return;
    connecting = (async () => {
      for (let attempt = 1; !closing; attempt++) {
        try {
          const s = await openSession();
          if (closing) {
            await s.connection.close().catch(() => {});
            return;
          }
          session = s;
          failures.success('connect');
          connected.resolve();
          if (attempt > 1) logger.info({ exchange, attempts: attempt }, 'RabbitMQ connection re-established');
          return;
        } catch (err) {
          failures.failure('connect', err, { attempt });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, reconnectDelay(attempt));
            wakeUp = () => { clearTimeout(timer); resolve(); };
          });
          wakeUp = undefined;
        }
      }
    })().finally(() => { connecting = undefined; });
  };

  const publishConfirmed = (channel: ConfirmChannel, target: string, routingKey: string, content: Buffer, properties: Options.Publish) =>
    new Promise<void>((resolve, reject) => {
      try {
        channel.publish(target, routingKey, content, { persistent: true, contentType: 'application/json', ...properties }, (err: unknown) => {
          if (err) reject(new BrokerUnavailableError(`RabbitMQ did not confirm the publish: ${String((err as Error)?.message ?? err)}`, { cause: err }));
          else resolve();
        });
      } catch (err) {
        // a closed channel (the connection just dropped) is an outage; anything else (an oversized header
        // table) fails the same way every time and is passed on as it is
        reject(err instanceof IllegalOperationError ? new BrokerUnavailableError(`RabbitMQ channel closed: ${err.message}`, { cause: err }) : err);
      }
    });

  const settle = async (s: Session, message: ConsumeMessage, subscriber: string, outcome: DeliveryOutcome) => {
    if (outcome.kind !== 'ack') {
      const { messageId, type, timestamp } = message.properties;
      await publishConfirmed(s.publisher, '', outcome.queue, outcome.content, {
        headers: outcome.headers,
        ...(messageId ? { messageId } : {}),
        ...(type ? { type } : {}),
        ...(timestamp ? { timestamp } : {}),
        ...(outcome.kind === 'retry' ? { expiration: String(outcome.delayMs) } : {}),
      });
      if (outcome.kind === 'dead-letter') {
        logger.error({ subscriber, eventId: messageId, type, reason: outcome.reason, dlq: outcome.queue }, 'event moved to the dead-letter queue');
      }
    }
    s.consumer.ack(message);
  };

  const onMessage = (s: Session, subscriber: string, message: ConsumeMessage | null) => {
    // null: the broker cancelled the consumer (its queue was deleted); a fresh session declares it again
    if (message === null) return lose(s, `consumer of ${subscriber} cancelled by the broker`);
    const run = (async () => {
      const outcome = await handleDelivery(message, subscriber, subscriptions.get(subscriber) ?? new Map(), policy);
      try {
        await settle(s, message, subscriber, outcome);
      } catch (err) {
        // the channel is gone or the copy was not confirmed: unacked, the broker delivers the event again
        failures.failure(`settle ${subscriber}`, err);
        try { s.consumer.nack(message, false, true); } catch { /* channel closed: requeued by the broker */ }
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  reconnect();

  return {
    async publish(event: DomainEvent) {
      if (closing) throw new BrokerUnavailableError('the event bus is closed');
      const body = Buffer.from(JSON.stringify(event));
      await withDeadline((async () => {
        let s = session;
        while (!s) {
          await connected.promise;
          s = session;
        }
        await s.topology;
        await publishConfirmed(s.publisher, exchange, event.type, body, { messageId: event.id, type: event.type, timestamp: Date.parse(event.occurredAt) || Date.now() });
      })(), publishTimeoutMs, `publish of ${event.type} ${event.id}`);
    },
    subscribe<P>(type: string, subscriber: string, handle: EventHandler<P>) {
      const byType = subscriptions.get(subscriber) ?? new Map<string, EventHandler[]>();
      byType.set(type, [...(byType.get(type) ?? []), handle as EventHandler]);
      subscriptions.set(subscriber, byType);
      if (session) queueTopology(session);
    },
    isConnected: () => session !== undefined,
    async ready(timeoutMs = connectTimeoutMs) {
      await withDeadline((async () => {
        await connected.promise;
        await session?.topology;
      })(), timeoutMs, 'connecting');
    },
    async close() {
      if (closing) return;
      closing = true;
      wakeUp?.();
      await connecting;
      const s = session;
      connected.reject(new BrokerUnavailableError('the event bus is closed'));
      if (s) {
        // no new deliveries; the running ones finish and ack, within the close deadline
        await Promise.allSettled([...s.consuming.values()].map((tag) => s.consumer.cancel(tag)));
        await withDeadline(Promise.allSettled([...inFlight]), closeTimeoutMs, 'closing').catch((err: unknown) => logger.warn({ err }, 'event handlers still running at close; their events will be delivered again'));
        session = undefined;
        await s.connection.close().catch(() => {});
      }
      failures.close();
    },
  };
}
