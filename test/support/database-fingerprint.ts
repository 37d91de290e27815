import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';

export type Fingerprint = Record<string, string>;

/**
 * One statement that sums up every table of every service schema: its row count and, except for
 * outbox tables (the relay marks rows published in the background), an md5 of its rows. Equal
 * fingerprints before and after a rejected request mean it wrote nothing: no insert, update or delete.
 * Audit tables are left out: recording a refused attempt is their job.
 */
export async function createFingerprinter(db: Database): Promise<() => Promise<Fingerprint>> {
  const { rows } = await sql<{ schemaname: string; tablename: string }>`
    select schemaname, tablename from pg_tables
    where schemaname not in ('pg_catalog', 'information_schema', 'public') order by 1, 2`.execute(db.kysely);
  // an append-only audit trail records refused attempts on purpose: that is not the request writing
  const columns = rows.filter(({ schemaname, tablename }) => schemaname !== 'audit' && !tablename.includes('audit')).map(({ schemaname, tablename }) => {
    const table = `"${schemaname}"."${tablename}"`;
    const content = tablename.includes('outbox') ? `''` : `coalesce((select md5(string_agg(t::text, ',' order by t::text)) from ${table} t), '')`;
    return `(select count(*) from ${table})::text || ':' || ${content} as "${schemaname}.${tablename}"`;
  });
  const statement = sql.raw(`select ${columns.join(', ')}`);
  return async () => {
    const { rows: [row] } = await statement.execute(db.kysely);
    return row as Fingerprint;
  };
}

/** The tables whose fingerprint changed, for a readable failure. */
export const changedTables = (before: Fingerprint, after: Fingerprint) =>
  Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
