import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DomainEvent } from './event-bus.js';

export { createOutboxRelay, type OutboxRelay, type OutboxRelayDeps } from './outbox-relay.js';

/**
 * Transactional outbox: a service writes its events in the same transaction as its state change,
 * and a relay publishes them afterwards. Each service has `<schema>.outbox` (a versioned platform
 * migration, messaging-migrations.ts, run by migrate.ts when the source says `outbox: true`).
 * An event that failed `maxAttempts` times for a reason that is not transient is parked
 * (`parked_at`, `last_error`) and skipped until requeued (outbox-parking.ts).
 */
type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Adds an event inside the caller's transaction; returns the stored event. */
export async function enqueueEvent<P>(trx: Transaction<any> | AnyDb, schema: string, type: string, payload: P): Promise<DomainEvent<P>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { event, insert } = outboxInsert(schema, type, payload);
  await insert.execute(trx);
  return event;
}

/**
 * The event and the INSERT that stores it, not run: for a statement that writes the state change and its event
 * together (a CTE), where a separate statement would be another round trip.
 */
export function outboxInsert<P>(schema: string, type: string, payload: P): { event: DomainEvent<P>; insert: RawBuilder<unknown> } {
  const event = { id: uuidv7(), type, occurredAt: new Date().toISOString(), payload };
  const insert = sql`insert into ${sql.table(`${schema}.outbox`)} (id, type, payload, occurred_at) values (${event.id}, ${type}, ${JSON.stringify(payload)}::jsonb, ${event.occurredAt})`;
  return { event, insert };
}
