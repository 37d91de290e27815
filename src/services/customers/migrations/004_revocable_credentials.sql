-- Revoked sessions and subjects (src/platform/auth/sql-revocation-list.ts): access tokens are
-- checked against these, so logout, refresh-token reuse and deactivation end tokens before `exp`.
create table customers.session_revocations (
  kind text not null check (kind in ('session', 'subject')),
  -- a session id (the `sid` claim) or a customer id (the `sub` claim)
  id text not null,
  -- for a subject: tokens issued at or before this instant are revoked
  not_before timestamptz,
  -- when every token this row could stop has expired anyway; pruned after
  expires_at timestamptz not null,
  -- stamped by the database, so every process polls on one clock
  revoked_at timestamptz not null default clock_timestamp(),
  primary key (kind, id),
  check ((kind = 'subject') = (not_before is not null))
);
create index session_revocations_revoked_at_idx on customers.session_revocations (revoked_at);

-- a deactivated account cannot log in or refresh, and its tokens are revoked (kind 'subject')
alter table customers.accounts add column deactivated_at timestamptz;

-- admin API keys may expire; last_used_at is written at most once a minute per key
alter table customers.api_keys add column expires_at timestamptz;
