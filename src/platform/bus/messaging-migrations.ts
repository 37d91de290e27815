/**
 * The platform's own tables inside a service's schema (`<schema>.outbox`, `<schema>.inbox`), as versioned
 * migrations. They run in a history of their own (`<schema>.platform_migration`, beside the service's
 * `kysely_migration`), so a service's SQL files and the platform's tables never have to agree on one
 * numbering, and a service that opts into the inbox later gets it without rewriting its history.
 *
 * Names are `<nnn>_<table>_<what>`, numbered across both tables; a schema may have one and not the other
 * (the migrator runs with unordered migrations allowed). Never edit a released one: add the next.
 */
export type PlatformTable = 'outbox' | 'inbox';

export const PLATFORM_MIGRATIONS: Record<PlatformTable, Record<string, (schema: string) => string>> = {
  outbox: {
    // the DDL migrate.ts used to run on every start: every statement tolerates a database that ran it
    // before this became a migration (or a data dir created before parking existed)
    "001_outbox_table": (schema) => `
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
alter table ${schema}.outbox add column if not exists parked_at timestamptz;
drop index if exists ${schema}.outbox_pending_idx;
-- the relay claims in id (time) order among pending events: walking this index skips every published row
create index if not exists outbox_due_idx on ${schema}.outbox (id) where published_at is null and parked_at is null;
create index if not exists outbox_parked_idx on ${schema}.outbox (parked_at) where published_at is null and parked_at is not null;
`,
  },
  inbox: {
    // one row per (consumer, message) this service has applied: a redelivery finds it and changes nothing
    "002_inbox_table": (schema) => `
create table if not exists ${schema}.inbox (
  consumer text not null,
  message_id text not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, message_id)
);
create index if not exists inbox_handled_at_idx on ${schema}.inbox (handled_at);
`,
  },
};
