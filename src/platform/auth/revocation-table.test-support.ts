import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../db/database.js';
import { LISTENER_APPLICATION_NAME } from '../db/postgres-listener.js';
import type { RevocationList } from './revocation-list.js';
import { revocationChannel } from './sql-revocation-list.js';

// the table a service that owns sessions creates (customers: migrations/004_revocable_credentials.sql), for the list tests
export const REVOCATION_TABLE = 'revocation_test.revocations';
export const REVOCATION_TABLE_DDL = `
  create schema if not exists revocation_test;
  create table revocation_test.revocations (
    kind text not null, id text not null, not_before timestamptz, expires_at timestamptz not null,
    revoked_at timestamptz not null default clock_timestamp(), primary key (kind, id));`;

/** a session's token that no list has seen revoked, issued now */
export const unseenToken = (sub = `c-${Math.random()}`) => ({ sid: `s-${Math.random()}`, sub, iat: Math.floor(Date.now() / 1000) });

/**
 * Revokes `token`'s session with `revoke` and expects `reader` to refuse the token within a second: with its next poll
 * a minute away, only the notification of the revoking commit can bring it that soon.
 */
export async function expectNotifiedWithinASecond(reader: Pick<RevocationList, 'isRevoked'>, token: ReturnType<typeof unseenToken>, revoke: (sid: string) => Promise<void>) {
  expect(await reader.isRevoked(token)).toBe(false);
  await revoke(token.sid);
  const started = Date.now();
  await expect.poll(() => reader.isRevoked(token), { timeout: 1_000, interval: 10 }).toBe(true);
  expect(Date.now() - started).toBeLessThan(1_000);
}

/** terminates the one connection listening on the test table's channel (found by `db`, which shares its server) */
export async function cutRevocationListener(db: Database) {
  const { rows } = await sql<{ cut: boolean }>`
    select pg_terminate_backend(pid) as cut from pg_stat_activity
     where datname = current_database() and application_name = ${LISTENER_APPLICATION_NAME} and query = ${`listen ${revocationChannel(REVOCATION_TABLE)}`}`.execute(db.kysely);
  expect(rows.length).toBe(1);
}
