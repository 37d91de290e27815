create table customers.accounts (
  id uuid primary key,
  email text,
  name text,
  password_hash text,
  role text not null check (role in ('guest', 'customer', 'admin')),
  created_at timestamptz not null default now(),
  -- a guest has neither email nor password; everyone else has both
  check ((role = 'guest') = (email is null)),
  check ((email is null) = (password_hash is null))
);
-- case-insensitive uniqueness; rows with a null email (guests) never collide
create unique index accounts_email_unique on customers.accounts (lower(email));

create table customers.refresh_tokens (
  id uuid primary key,
  -- every token rotated from one login shares the family; reuse of any member revokes them all
  family_id uuid not null,
  customer_id uuid not null references customers.accounts (id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_family_idx on customers.refresh_tokens (family_id);
create index refresh_tokens_customer_idx on customers.refresh_tokens (customer_id);

create table customers.signing_keys (
  kid text primary key,
  alg text not null,
  public_jwk jsonb not null,
  private_jwk jsonb not null,
  -- the one key new tokens are signed with; older keys stay published until retired
  active boolean not null default false,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  check (not (active and retired_at is not null))
);
-- at most one active key: two processes creating the first key at once cannot both win
create unique index signing_keys_one_active on customers.signing_keys (active) where active;

create table customers.api_keys (
  id uuid primary key,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  role text not null default 'admin' check (role in ('admin')),
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
