import { connect, type ConfirmChannel, type GetMessage } from 'amqplib';
import { StartupError } from '../startup-error.js';
import { describeError } from '../telemetry/failure-log.js';
import { HEADERS, topologyNames } from './rabbitmq-topology.js';

/** A poison event as an operator sees it: what it was, who failed on it, why. */
export interface DeadEvent {
  id: string;
  type: string;
  subscriber: string;
  attempts: number;
  reason: string;
  failedAt: string | undefined;
}

export interface DlqTarget {
  url: string;
  exchange: string;
  subscriber: string;
}

const describe = (m: GetMessage, subscriber: string): DeadEvent => {
  const headers = m.properties.headers ?? {};
  let body: { id?: unknown; type?: unknown } = {};
  try {
    body = JSON.parse(m.content.toString('utf8')) as typeof body;
  } catch {
    /* an unreadable body is listed by its message id */
  }
  // dead-lettered by the broker itself (delivery limit): no header of ours, the reason is in x-death
  const death = (headers['x-death'] as Array<{ reason?: string }> | undefined)?.[0];
  return {
    id: String(body.id ?? m.properties.messageId ?? '?'),
    type: String(body.type ?? m.properties.type ?? '?'),
    subscriber: String(headers[HEADERS.subscriber] ?? subscriber),
    attempts: Number(headers[HEADERS.attempts] ?? 0),
    reason: String(headers[HEADERS.error] ?? (death?.reason ? `broker dead-lettered it: ${death.reason}` : 'unknown')),
    failedAt: headers[HEADERS.failedAt] === undefined ? undefined : String(headers[HEADERS.failedAt]),
  };
};

/**
 * Takes the DLQ's messages one by one without acking them (a message held unacked is not handed out
 * again), lets `decide` settle each, and returns every message it did not settle to the queue at the end.
 * Bounded by the queue's depth at the start, so events dead-lettered meanwhile wait for the next run.
 */
async function walkDlq<T>(target: DlqTarget, decide: (m: GetMessage, dead: DeadEvent, channel: ConfirmChannel) => Promise<T | undefined>): Promise<T[]> {
  const connection = await connect(target.url).catch((err: Error) => {
    throw new StartupError(`RabbitMQ at AMQP_URL did not answer: ${describeError(err)}`);
  });
  connection.on('error', () => {}); // the awaited calls below reject with the same error
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => {});
    const { dlq } = topologyNames(target.exchange, target.subscriber);
    const { messageCount } = await channel.checkQueue(dlq).catch((err: { code?: number }) => {
      if (err.code !== 404) throw err;
      throw new StartupError(`no queue ${dlq}: "${target.subscriber}" has never subscribed on exchange ${target.exchange} (subscriber names are the second argument of bus.subscribe, e.g. payments.record-placed-order)`);
    });
    const results: T[] = [];
    for (let i = 0; i < messageCount; i++) {
      const m = await channel.get(dlq, { noAck: false });
      if (!m) break;
      const result = await decide(m, describe(m, target.subscriber), channel);
      if (result !== undefined) results.push(result);
    }
    channel.nackAll(true); // everything not settled goes back, in its order
    await channel.close();
    return results;
  } finally {
    await connection.close().catch(() => {});
  }
}

/** the oldest `limit` poison events of one subscriber, left in the DLQ */
export function listDeadEvents(target: DlqTarget, limit = 100): Promise<DeadEvent[]> {
  let seen = 0;
  return walkDlq(target, async (_m, dead) => (seen++ < limit ? dead : undefined));
}

const chosen = (ids: readonly string[], dead: DeadEvent) => ids.length === 0 || ids.includes(dead.id);

/**
 * Sends poison events (all, or those ids) back to the subscriber's queue with a fresh attempt count,
 * once their cause is fixed. Each leaves the DLQ only after the broker confirmed its copy.
 */
export function replayDeadEvents(target: DlqTarget, ids: readonly string[] = []): Promise<DeadEvent[]> {
  const { queue } = topologyNames(target.exchange, target.subscriber);
  return walkDlq(target, async (m, dead, channel) => {
    if (!chosen(ids, dead)) return undefined;
    const headers = { ...(m.properties.headers ?? {}) };
    delete headers[HEADERS.attempts];
    headers['x-floodgate-replayed-after'] = headers[HEADERS.error];
    delete headers[HEADERS.error];
    await new Promise<void>((resolve, reject) => {
      const { messageId, type, timestamp, contentType } = m.properties;
      channel.sendToQueue(queue, m.content, { headers, persistent: true, messageId, type, timestamp, contentType }, (err: unknown) => (err ? reject(err) : resolve()));
    });
    channel.ack(m);
    return dead;
  });
}

/** Deletes poison events (all, or those ids) for good. */
export function dropDeadEvents(target: DlqTarget, ids: readonly string[] = []): Promise<DeadEvent[]> {
  return walkDlq(target, async (m, dead, channel) => {
    if (!chosen(ids, dead)) return undefined;
    channel.ack(m);
    return dead;
  });
}
