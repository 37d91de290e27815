import { newId } from '../ids.js';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
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
 * together (a CTE), where a separate statement would be another round trip. With `when`, the event is stored only
 * when it holds (say `exists (select 1 from moved)`), so a change that matched no row announces nothing.
 */
export function outboxInsert<P>(schema: string, type: string, payload: P, when?: RawBuilder<boolean>): { event: DomainEvent<P>; insert: RawBuilder<unknown> } {
  const event = { id: newId(), type, occurredAt: new Date().toISOString(), payload };
  const row = sql`${event.id}, ${type}, ${JSON.stringify(payload)}::jsonb, ${event.occurredAt}`;
  const insert = when
    ? sql`insert into ${sql.table(`${schema}.outbox`)} (id, type, payload, occurred_at) select ${row} where ${when}`
    : sql`insert into ${sql.table(`${schema}.outbox`)} (id, type, payload, occurred_at) values (${row})`;
  return { event, insert };
}

export interface AnnouncingTransactions<DB> {
  /** runs `work` in a transaction; once it committed, tells `onEventsWritten` if it enqueued an event */
  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** enqueues an event in a transaction begun by `transaction` (enqueueEvent, and marks the transaction) */
  enqueue<P>(trx: Transaction<DB>, schema: string, type: string, payload: P): Promise<DomainEvent<P>>;
}

/**
 * For a store whose methods open their own transactions and enqueue events in some of them: after such a transaction
 * committed, `onEventsWritten` is told (the service pokes its outbox relay), so the event is published at once rather
 * than at the relay's next poll, and a relay every writer pokes may poll rarely while idle (claim-pipeline.ts
 * `maxIdleMs`). Nothing is told for a transaction that rolled back or enqueued nothing.
 */
export function announcingTransactions<DB>(k: Kysely<DB>, onEventsWritten: () => void): AnnouncingTransactions<DB> {
  const enqueuedIn = new WeakSet<Transaction<DB>>();
  return {
    async transaction(work) {
      let enqueued = false;
      const result = await k.transaction().execute(async (trx) => {
        const done = await work(trx);
        enqueued = enqueuedIn.has(trx);
        return done;
      });
      // only once the commit landed: a relay woken before it would find nothing
      if (enqueued) onEventsWritten();
      return result;
    },
    enqueue(trx, schema, type, payload) {
      enqueuedIn.add(trx);
      return enqueueEvent(trx, schema, type, payload);
    },
  };
}
