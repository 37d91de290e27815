import { sql } from 'kysely';
import type { Database } from '../db/database.js';

export interface ParkedEvent {
  id: string;
  type: string;
  attempts: number;
  occurredAt: Date;
  parkedAt: Date;
  lastError: string | null;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

function outboxTable(schema: string) {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`invalid schema name ${schema}`);
  return sql.table(`${schema}.outbox`);
}

/** The events of one outbox that the relay gave up on, oldest first, with the reason it gave up. */
export async function listParkedEvents(db: Database, schema: string, { limit = 100 }: { limit?: number } = {}): Promise<ParkedEvent[]> {
  const { rows } = await sql<{ id: string; type: string; attempts: number; occurred_at: Date; parked_at: Date; last_error: string | null }>`
    select id, type, attempts, occurred_at, parked_at, last_error from ${outboxTable(schema)}
    where published_at is null and parked_at is not null order by parked_at, id limit ${limit}`.execute(db.kysely);
  return rows.map((r) => ({ id: r.id, type: r.type, attempts: r.attempts, occurredAt: new Date(r.occurred_at), parkedAt: new Date(r.parked_at), lastError: r.last_error }));
}

/**
 * Gives parked events a fresh set of attempts, due now: for after the bug or the data that made
 * them fail is fixed. Without `ids`, every parked event of the outbox. Answers how many were requeued.
 * `last_error` is kept until the event is published, so the reason stays visible while it is retried.
 */
export async function requeueParkedEvents(db: Database, schema: string, { ids }: { ids?: readonly string[] } = {}): Promise<number> {
  const table = outboxTable(schema);
  const only = ids ? sql`and id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))` : sql``;
  const { rows } = await sql<{ id: string }>`
    update ${table} set parked_at = null, attempts = 0, available_at = now()
    where published_at is null and parked_at is not null ${only} returning id`.execute(db.kysely);
  return rows.length;
}
