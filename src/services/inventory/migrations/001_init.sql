-- Stock levels and reservations. "No oversell" is enforced here, not only in code:
-- reserved can never exceed on_hand, and neither can go negative.
create table inventory.stock (
  variant_id uuid primary key,
  on_hand integer not null,
  reserved integer not null default 0,
  updated_at timestamptz not null default now(),
  constraint stock_on_hand_non_negative check (on_hand >= 0),
  constraint stock_reserved_non_negative check (reserved >= 0),
  constraint stock_reserved_within_on_hand check (reserved <= on_hand)
);

create table inventory.reservations (
  id uuid primary key,
  -- the caller's id for the hold (an order id); one reservation per reference
  reference text not null unique,
  status text not null,
  release_reason text,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reservations_status_known check (status in ('held', 'committed', 'released'))
);

-- the expiry worker only ever scans live holds
create index reservations_held_expiry_idx on inventory.reservations (expires_at) where status = 'held';

create table inventory.reservation_lines (
  reservation_id uuid not null references inventory.reservations (id),
  variant_id uuid not null,
  quantity integer not null,
  primary key (reservation_id, variant_id),
  constraint reservation_lines_quantity_positive check (quantity > 0)
);

-- restock is idempotent per reference (a cancelled order restocks once, however often it is retried)
create table inventory.restocks (
  reference text primary key,
  created_at timestamptz not null default now()
);
