-- Flash sales. PostgreSQL is the truth; the counter store (src/platform/counters/) is only the gate
-- of the spike path and is rebuilt from these tables (docs/flash-sales.md).
create table flash_sales.sales (
  id uuid primary key,
  variant_id uuid not null,
  price_amount bigint not null,
  price_currency text not null,
  quantity integer not null,
  per_customer_limit integer not null,
  admission_rate_per_second double precision not null,
  reservation_lease_ms integer not null default 600000,
  admission_ttl_ms integer not null default 60000,
  allow_guests boolean not null default false,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled',
  paused boolean not null default false,
  -- the inventory reservation holding the carved-out units (reference `flash-sale:<id>`)
  allocation_reservation_id uuid,
  -- set once the allocation was given back to the shelf after the sale ended
  allocation_released_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sales_status_known check (status in ('scheduled', 'live', 'sold_out', 'ended')),
  constraint sales_quantity_positive check (quantity > 0),
  constraint sales_limit_positive check (per_customer_limit >= 1),
  constraint sales_rate_positive check (admission_rate_per_second > 0),
  constraint sales_price_non_negative check (price_amount >= 0),
  constraint sales_lease_positive check (reservation_lease_ms > 0),
  constraint sales_admission_ttl_positive check (admission_ttl_ms > 0),
  constraint sales_ends_after_start check (ends_at > starts_at)
);
-- the status worker only ever scans sales that are not over
create index sales_open_idx on flash_sales.sales (status, starts_at) where status <> 'ended';
-- ended sales whose allocation still waits to be released
create index sales_allocation_pending_idx on flash_sales.sales (id) where status = 'ended' and allocation_released_at is null;

create table flash_sales.sale_reservations (
  -- uuidv7, and the counter store's hold id: PostgreSQL and the counters name a reservation alike
  id uuid primary key,
  sale_id uuid not null references flash_sales.sales (id),
  customer_id text not null,
  quantity integer not null,
  idempotency_key text not null,
  -- sha256 of the request body: the same key with another body is refused
  request_hash text not null,
  status text not null default 'held',
  order_id uuid,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sale_reservations_status_known check (status in ('held', 'ordered', 'sold', 'released', 'expired')),
  constraint sale_reservations_quantity_positive check (quantity > 0),
  constraint sale_reservations_key_once unique (sale_id, customer_id, idempotency_key)
);
-- the reconciler sums a sale's live and sold units; the lease-expiry worker scans live holds by expiry
create index sale_reservations_sale_status_idx on flash_sales.sale_reservations (sale_id, status);
create index sale_reservations_held_expiry_idx on flash_sales.sale_reservations (expires_at) where status = 'held';
create unique index sale_reservations_order_idx on flash_sales.sale_reservations (order_id) where order_id is not null;

-- Deployment secrets (ticket HMAC, admission-token key), generated once by the first process and
-- kept sealed by the envelope (aad binds each to its name), so every process signs alike.
create table flash_sales.secrets (
  name text primary key,
  secret_sealed text not null,
  created_at timestamptz not null default now()
);
