import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { createRabbitMqEventBus } from '../../src/platform/bus/rabbitmq-event-bus.js';
import { deleteTopology } from '../../src/platform/bus/rabbitmq-topology.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const available = await serviceAvailable('rabbitmq');
const PUBLISH_TIMEOUT_MS = 1_000;

describe.skipIf(!available)('RabbitMQ link cut', () => {
  it('when the link to RabbitMQ is cut mid-stream, then publishes fail within their deadline, the bus reconnects by itself once it is back, and no confirmed event is lost', { timeout: 60_000 }, async () => {
    const broker = new URL(TEST_SERVICES.rabbitmq);
    // the proxy is ours to cut; the shared broker keeps running for everyone else
    await using proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const through = new URL(TEST_SERVICES.rabbitmq);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const exchange = `floodgate-test.${randomUUID()}`;
    const bus = createRabbitMqEventBus({
      url: through.toString(), logger: pino({ level: 'silent' }), exchange,
      publishTimeoutMs: PUBLISH_TIMEOUT_MS, reconnect: { initialMs: 50, maxMs: 500 }, heartbeatSeconds: 2,
    });
    try {
      const handled = new Set<string>();
      let deliveries = 0;
      bus.subscribe('order.placed', 'payments', async (e) => {
        deliveries++;
        handled.add(e.id);
      });
      await bus.ready();

      // what the outbox relay does: publish each event until the broker confirms it
      const confirmed = new Set<string>();
      let rejected = 0;
      let slowestAttemptMs = 0;
      let stop = false;
      const publishing = (async () => {
        for (let n = 0; !stop; n++) {
          const e = { id: uuidv7(), type: 'order.placed', occurredAt: new Date().toISOString(), payload: { n } };
          for (;;) {
            const started = Date.now();
            try {
              await bus.publish(e);
              confirmed.add(e.id);
              break;
            } catch {
              rejected++;
              await new Promise((resolve) => setTimeout(resolve, 20)); // pacing, as the relay's backoff would
            } finally {
              slowestAttemptMs = Math.max(slowestAttemptMs, Date.now() - started);
            }
          }
        }
      })();

      await expect.poll(() => confirmed.size, { timeout: 15_000 }).toBeGreaterThan(50);
      proxy.cut();
      // the link stays down for several publish deadlines: every attempt fails, none hangs
      await expect.poll(() => rejected, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      expect(bus.isConnected()).toBe(false);
      proxy.restore();

      await expect.poll(() => bus.isConnected(), { timeout: 15_000 }).toBe(true);
      const confirmedAtRestore = confirmed.size;
      await expect.poll(() => confirmed.size, { timeout: 15_000 }).toBeGreaterThan(confirmedAtRestore + 50);
      stop = true;
      await publishing;
      await expect.poll(() => [...confirmed].filter((id) => !handled.has(id)).length, { timeout: 20_000 }).toBe(0);
      expect(deliveries).toBeGreaterThanOrEqual(confirmed.size); // at-least-once: duplicates allowed, losses not
      expect(slowestAttemptMs).toBeLessThan(PUBLISH_TIMEOUT_MS + 500);
      expect(proxy.connections()).toBeGreaterThan(1);
    } finally {
      await bus.close();
      const connection = await connect(TEST_SERVICES.rabbitmq);
      await deleteTopology(await connection.createChannel(), exchange, ['payments']);
      await connection.close();
    }
  });
  it('when a consumer loses its link before it acked an event, then another process subscribed under the same name gets it', { timeout: 60_000 }, async () => {
    const broker = new URL(TEST_SERVICES.rabbitmq);
    await using proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const through = new URL(TEST_SERVICES.rabbitmq);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const exchange = `floodgate-test.${randomUUID()}`;
    const logger = pino({ level: 'silent' });
    // process A reaches RabbitMQ through the proxy and never finishes its handler; process B directly
    const a = createRabbitMqEventBus({ url: through.toString(), logger, exchange, reconnect: { initialMs: 50, maxMs: 500 }, closeTimeoutMs: 500 });
    const b = createRabbitMqEventBus({ url: TEST_SERVICES.rabbitmq, logger, exchange });
    try {
      let startedInA = 0;
      const handledInB: string[] = [];
      a.subscribe('order.placed', 'payments', () => {
        startedInA++;
        return new Promise<void>(() => {}); // a process that hangs, then dies, mid-event
      });
      await a.ready();
      const e = { id: uuidv7(), type: 'order.placed', occurredAt: new Date().toISOString(), payload: {} };
      await a.publish(e);
      await expect.poll(() => startedInA, { timeout: 10_000 }).toBe(1);
      b.subscribe('order.placed', 'payments', async (got) => void handledInB.push(got.id));
      await b.ready();
      proxy.cut(); // A's connection dies with the delivery unacked
      await expect.poll(() => handledInB, { timeout: 15_000 }).toEqual([e.id]);
    } finally {
      proxy.cut();
      await Promise.all([a.close(), b.close()]);
      const connection = await connect(TEST_SERVICES.rabbitmq);
      await deleteTopology(await connection.createChannel(), exchange, ['payments']);
      await connection.close();
    }
  });
});
