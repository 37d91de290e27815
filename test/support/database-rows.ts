import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';

/** Every row of every service table, as JSON objects keyed by table: for tests that search the whole database. */
export async function allRows(db: Database): Promise<Array<{ table: string; row: Record<string, unknown> }>> {
  const { rows: tables } = await sql<{ schemaname: string; tablename: string }>`
    select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema', 'public') order by 1, 2`.execute(db.kysely);
  const out: Array<{ table: string; row: Record<string, unknown> }> = [];
  for (const { schemaname, tablename } of tables) {
    const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(`${schemaname}.${tablename}`)} t`.execute(db.kysely);
    for (const r of rows) out.push({ table: `${schemaname}.${tablename}`, row: JSON.parse(r.row) as Record<string, unknown> });
  }
  return out;
}
