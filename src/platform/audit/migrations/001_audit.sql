create table audit.entries (
  -- uuidv7: time-sortable, so the id is also the pagination key (newest first)
  id uuid primary key,
  occurred_at timestamptz not null default now(),
  actor_type text not null,
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  request_id text,
  client_ip text,
  details jsonb not null default '{}'::jsonb,
  -- "at most once per …" entries (api key use per minute) are deduplicated by the database
  dedupe_key text unique
);
create index entries_actor_idx on audit.entries (actor_type, actor_id, id desc);
create index entries_action_idx on audit.entries (action, id desc);
create index entries_target_idx on audit.entries (target_type, target_id, id desc);

-- Append-only, enforced in the database on both engines: no statement the application (or a
-- mistaken script) sends can change or remove an entry. The table's owner could disable the
-- trigger; deployments that must keep the application's role from doing so run it without
-- ownership (docs/security.md, "Audit log").
create function audit.reject_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit.entries is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger entries_no_update_delete before update or delete on audit.entries
  for each row execute function audit.reject_change();
create trigger entries_no_truncate before truncate on audit.entries
  for each statement execute function audit.reject_change();
