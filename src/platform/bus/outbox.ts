import { sql, type Kysely, type Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createPollingWorker } from '../polling-worker.js';
import type { Worker } from '../service.js';
import type { DomainEvent, EventBus } from './event-bus.js';

/**
 * Transactional outbox: a service writes its events in the same transaction as its state change,
 * and a relay publishes them afterwards. Each service has `<schema>.outbox` (created by migrate.ts).
 */
export const OUTBOX_DDL = (schema: string) => `
create table if not exists ${schema}.outbox (
  id uuid primary key,
  type text not null,
  payload jsonb not null,
  occurred_at timestamptz not null default now(),
  published_at timestamptz,
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  last_error text
);
create index if not exists outbox_pending_idx on ${schema}.outbox (available_at) where published_at is null;
`;

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Adds an event inside the caller's transaction; returns the stored event. */
export async function enqueueEvent<P>(trx: Transaction<any> | AnyDb, schema: string, type: string, payload: P): Promise<DomainEvent<P>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const event = { id: uuidv7(), type, occurredAt: new Date().toISOString(), payload };
  await sql`insert into ${sql.table(`${schema}.outbox`)} (id, type, payload, occurred_at) values (${event.id}, ${type}, ${JSON.stringify(payload)}::jsonb, ${event.occurredAt})`.execute(trx);
  return event;
}

export interface OutboxRelayDeps {
  db: Database;
  schema: string;
  bus: EventBus;
  logger: Logger;
  /** how long a claimed batch is ours; a relay that dies mid-batch loses its claim after this */
  leaseMs?: number;
  idleMs?: number;
  batchSize?: number;
  /** events of one batch in flight at once */
  concurrency?: number;
  onPublished?: (type: string) => void;
}

export interface OutboxRelay extends Worker {
  /** publish soon: called after a commit that enqueued events, to skip the idle wait */
  poke(): void;
  /** one pass; resolves with how many events were published (tests drive the relay with it) */
  drainOnce(): Promise<number>;
  backlog(): Promise<number>;
}

interface Row { id: string; type: string; payload: unknown; occurred_at: Date; attempts: number }

export function createOutboxRelay({ db, schema, bus, logger, leaseMs = 30_000, idleMs = 200, batchSize = 50, concurrency = 16, onPublished }: OutboxRelayDeps): OutboxRelay {
  const table = sql.table(`${schema}.outbox`);

  // Claim with a lease instead of holding a transaction while subscribers run: on PGlite the
  // single connection would be blocked, and on PostgreSQL a slow subscriber would hold locks.
  const claim = async (): Promise<Row[]> => {
    const { rows } = await sql<Row>`
      update ${table} set available_at = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
      where id in (
        select id from ${table} where published_at is null and available_at <= now()
        order by id limit ${batchSize} for update skip locked)
      returning id, type, payload, occurred_at, attempts`.execute(db.kysely);
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  };

  const publishOne = async (row: Row): Promise<boolean> => {
    const event: DomainEvent = { id: row.id, type: row.type, occurredAt: new Date(row.occurred_at).toISOString(), payload: row.payload };
    try {
      await bus.publish(event);
      await sql`update ${table} set published_at = now(), last_error = null where id = ${row.id}`.execute(db.kysely);
      onPublished?.(row.type);
      return true;
    } catch (err) {
      // exponential backoff, capped: a poison event must not spin the relay
      const delayMs = Math.min(60_000, 250 * 2 ** Math.min(row.attempts, 8));
      logger.warn({ err, eventId: row.id, type: row.type, attempts: row.attempts }, 'outbox publish failed; will retry');
      await sql`update ${table} set available_at = now() + ${`${delayMs} milliseconds`}::interval, last_error = ${String((err as Error).message).slice(0, 500)} where id = ${row.id}`.execute(db.kysely);
      return false;
    }
  };

  // Events of one batch are published concurrently: in-process, publish() waits for the
  // subscribers (a charge at the PSP), and one slow charge must not hold up every other order.
  // Subscribers are idempotent and key on business ids, so they do not rely on batch order.
  const drainOnce = async () => {
    const queue = await claim();
    let published = 0;
    const lane = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) if (await publishOne(row)) published++;
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
    return published;
  };

  const worker = createPollingWorker({ name: `${schema}-outbox-relay`, pass: drainOnce, logger, idleMs, continueWhileBusy: true });

  return {
    ...worker,
    drainOnce,
    async backlog() {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} where published_at is null`.execute(db.kysely);
      return rows[0]?.n ?? 0;
    },
  };
}
