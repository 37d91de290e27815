// the table a service that owns sessions creates (customers: migrations/004_revocable_credentials.sql), for the list tests
export const REVOCATION_TABLE = 'revocation_test.revocations';
export const REVOCATION_TABLE_DDL = `
  create schema if not exists revocation_test;
  create table revocation_test.revocations (
    kind text not null, id text not null, not_before timestamptz, expires_at timestamptz not null,
    revoked_at timestamptz not null default clock_timestamp(), primary key (kind, id));`;
