/**
 * A publisher or a consumer of test events that stops dead at a chosen point, for the kill -9 fault test
 * (test/faults/events-killed.int.test.ts). Run as a child process: `node --import tsx <this file>`.
 *
 *   ROLE=publisher  the outbox relay of schema CRASH_SCHEMA on RabbitMQ, one publish at a time
 *   ROLE=consumer   applies each event through the inbox: one row in CRASH_SCHEMA.effects per application
 *
 * CRASH_AT (before-publish | after-confirm | after-commit) and CRASH_ON (the event's payload.n) name the
 * point: the process prints `CRASHPOINT <at> <n>` there and hangs, and the test kills it with SIGKILL,
 * so the kill lands exactly between the two steps. Prints `READY` once running and `DUPLICATE <n>` for
 * every delivery the inbox refused. SIGTERM closes it cleanly.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { createInbox } from '../../src/platform/bus/inbox.js';
import { createOutboxRelay } from '../../src/platform/bus/outbox.js';
import { createRabbitMqEventBus } from '../../src/platform/bus/rabbitmq-event-bus.js';
import type { DomainEvent, EventBus } from '../../src/platform/bus/event-bus.js';
import { createPostgresDatabase } from '../../src/platform/db/database.js';

export const CRASH_EVENT_TYPE = 'crash.tested';
export const CRASH_SUBSCRIBER = 'crash.apply';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main() {
  const role = env('ROLE');
  const schema = env('CRASH_SCHEMA');
  const crashAt = process.env.CRASH_AT ?? '';
  const crashOn = Number(process.env.CRASH_ON ?? -1);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const db = await createPostgresDatabase({ connectionString: env('DATABASE_URL'), maxConnections: 4 });
  // prefetch 1: one event at a time, so nothing after the crash point is applied while the test kills us
  const bus = createRabbitMqEventBus({ url: env('AMQP_URL'), exchange: env('AMQP_EXCHANGE'), logger, prefetch: 1, retry: { initialMs: 50, maxMs: 500 } });
  const hang = (point: string, n: number) => {
    process.stdout.write(`CRASHPOINT ${point} ${n}\n`);
    return new Promise<never>(() => {});
  };
  const numberOf = (event: DomainEvent) => Number((event.payload as { n: number }).n);
  let stop: () => Promise<void>;

  if (role === 'publisher') {
    const hooked: EventBus = {
      ...bus,
      async publish(event) {
        const n = numberOf(event);
        if (crashAt === 'before-publish' && n === crashOn) await hang(crashAt, n);
        await bus.publish(event);
        if (crashAt === 'after-confirm' && n === crashOn) await hang(crashAt, n);
      },
    };
    // one publish at a time in id order, and a short lease: a killed relay's event is taken over within 1 s
    const relay = createOutboxRelay({ db, schema, bus: hooked, logger, concurrency: 1, batchSize: 1, leaseMs: 1_000, idleMs: 50 });
    await bus.ready(15_000);
    relay.start();
    stop = () => relay.stop();
  } else {
    const inbox = createInbox(db, schema);
    bus.subscribe(CRASH_EVENT_TYPE, CRASH_SUBSCRIBER, async (event: DomainEvent) => {
      const n = numberOf(event);
      const outcome = await inbox.applyOnce(CRASH_SUBSCRIBER, event.id, async (tx) => {
        // not idempotent by itself: a second application would be a second row
        await sql`insert into ${sql.table(`${schema}.effects`)} (event_id, n) values (${event.id}, ${n})`.execute(tx.kysely);
      });
      if (outcome === 'duplicate') process.stdout.write(`DUPLICATE ${n}\n`);
      // committed, not acked yet: the broker still holds the delivery
      else if (crashAt === 'after-commit' && n === crashOn) await hang(crashAt, n);
    });
    await bus.ready(15_000);
    stop = async () => {};
  }
  process.stdout.write('READY\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await stop();
      await bus.close();
      await db.close();
      process.exit(0);
    })();
  });
}

// the test imports the names above; only the child process runs
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
