import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.js';

/**
 * The consuming service's record of the messages it has applied (`<schema>.inbox`, one row per consumer and
 * message id; migrate.ts creates it when the service's MigrationSource says `inbox: true`). Delivery is at
 * least once: RabbitMQ delivers again what was not acked (a consumer killed between its commit and its ack),
 * and the outbox publishes again what it could not mark sent (a relay killed between the confirm and its
 * update). The inbox turns that into "applied once".
 *
 * The inbox lives in the consuming service's own schema, not in one platform table: DESIGN.md §2 gives
 * each service its tables, and the row must commit in the same transaction as the service's own writes,
 * which is only possible in the database (and, split later, the server) that holds them.
 */
export interface Inbox {
  /**
   * Runs `apply` in one transaction with the inbox row: the effect and "this message was handled" commit
   * together or not at all. `tx` is a Database bound to that transaction: stores built on it
   * (`createSqlXStore(tx)`) write inside it. Answers `duplicate`, without running `apply`, when this
   * consumer applied the message before (or a concurrent delivery of it commits first).
   */
  applyOnce(consumer: string, messageId: string, apply: (tx: Database) => Promise<void>): Promise<'applied' | 'duplicate'>;
  /** whether this consumer has recorded the message */
  seen(consumer: string, messageId: string): Promise<boolean>;
  /** records the message as handled (idempotent) */
  record(consumer: string, messageId: string): Promise<void>;
  /** deletes rows handled before `before`: redeliveries come within minutes, so days of history suffice */
  prune(before: Date): Promise<number>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export function createInbox(db: Database, schema: string): Inbox {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`invalid schema name ${schema}`);
  const table = sql.table(`${schema}.inbox`);
  const claim = async (k: Kysely<any>, consumer: string, messageId: string) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { rows } = await sql`insert into ${table} (consumer, message_id) values (${consumer}, ${messageId}) on conflict do nothing returning message_id`.execute(k);
    return rows.length === 1;
  };
  return {
    async applyOnce(consumer, messageId, apply) {
      return db.kysely.transaction().execute(async (trx) => {
        // a concurrent delivery of the same message waits here on the row until the first commits
        // (then finds it: duplicate) or rolls back (then claims it)
        if (!(await claim(trx, consumer, messageId))) return 'duplicate' as const;
        await apply(bindToTransaction(db, trx));
        return 'applied' as const;
      });
    },
    async seen(consumer, messageId) {
      const { rows } = await sql`select 1 from ${table} where consumer = ${consumer} and message_id = ${messageId}`.execute(db.kysely);
      return rows.length > 0;
    },
    async record(consumer, messageId) {
      await claim(db.kysely, consumer, messageId);
    },
    async prune(before) {
      const { rows } = await sql`delete from ${table} where handled_at < ${before} returning message_id`.execute(db.kysely);
      return rows.length;
    },
  };
}

function bindToTransaction(db: Database, trx: Kysely<any>): Database { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    kind: db.kind,
    kysely: trx,
    ping: () => db.ping(),
    close: () => Promise.reject(new Error('a transaction-bound database handle is closed by its owner')),
    poolStats: () => db.poolStats(),
  };
}

/**
 * A subscriber whose whole effect is a write to its own service's tables: the write and the inbox row
 * commit in one transaction, so a redelivered message is applied exactly once.
 */
export function handleOnce<P>(inbox: Inbox, consumer: string, apply: (event: DomainEvent<P>, tx: Database) => Promise<void>): EventHandler<P> {
  return async (event) => {
    await inbox.applyOnce(consumer, event.id, (tx) => apply(event, tx));
  };
}

/**
 * A subscriber whose effect leaves its own database (another service's client, the PSP, Redis), where no
 * transaction can hold the inbox row and the effect together. The inbox skips every redelivery of a
 * message that was handled to the end; the one window it cannot close (killed after the effect, before
 * the row) is closed by the handler itself, which must be idempotent by state (each use says how).
 */
export function handleGuarded<P>(inbox: Inbox, consumer: string, handle: EventHandler<P>): EventHandler<P> {
  return async (event) => {
    if (await inbox.seen(consumer, event.id)) return;
    await handle(event);
    await inbox.record(consumer, event.id);
  };
}

/**
 * `bus.subscribe` with every handler behind the inbox guard under its subscriber name (handleGuarded).
 * `relevant`: events it says no to are skipped before the guard, for a subscriber whose handler would do
 * nothing with them (the guard alone is two statements per event).
 */
export function subscribeGuarded(bus: EventBus, inbox: Inbox) {
  return <P>(type: string, subscriber: string, handle: EventHandler<P>, relevant?: (event: DomainEvent<P>) => boolean) => {
    const guarded = handleGuarded(inbox, subscriber, handle);
    bus.subscribe(type, subscriber, relevant ? async (event: DomainEvent<P>) => (relevant(event) ? guarded(event) : undefined) : guarded);
  };
}
