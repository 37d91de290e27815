import { sql, type Kysely, type Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DomainEvent } from './event-bus.js';

export { createOutboxRelay, type OutboxRelay, type OutboxRelayDeps } from './outbox-relay.js';

/**
 * Transactional outbox: a service writes its events in the same transaction as its state change,
 * and a relay publishes them afterwards. Each service has `<schema>.outbox` (created by migrate.ts).
 * An event that failed `maxAttempts` times for a reason that is not transient is parked
 * (`parked_at`, `last_error`) and skipped until requeued (outbox-parking.ts).
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
  last_error text,
  parked_at timestamptz
);
-- data dirs created before parking existed get the column here: this DDL runs on every migrate
alter table ${schema}.outbox add column if not exists parked_at timestamptz;
drop index if exists ${schema}.outbox_pending_idx;
-- the relay claims in id (time) order among pending events: walking this index skips every published row
create index if not exists outbox_due_idx on ${schema}.outbox (id) where published_at is null and parked_at is null;
create index if not exists outbox_parked_idx on ${schema}.outbox (parked_at) where published_at is null and parked_at is not null;
`;

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Adds an event inside the caller's transaction; returns the stored event. */
export async function enqueueEvent<P>(trx: Transaction<any> | AnyDb, schema: string, type: string, payload: P): Promise<DomainEvent<P>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const event = { id: uuidv7(), type, occurredAt: new Date().toISOString(), payload };
  await sql`insert into ${sql.table(`${schema}.outbox`)} (id, type, payload, occurred_at) values (${event.id}, ${type}, ${JSON.stringify(payload)}::jsonb, ${event.occurredAt})`.execute(trx);
  return event;
}
