-- Orders, their lines and every status change. Ids from other services (customers, variants,
-- reservations) are text: orders stores them and never interprets them.
create table orders.orders (
  id uuid primary key,
  customer_id text not null,
  status text not null,
  email text,
  shipping_address jsonb not null,
  total_minor bigint not null,
  currency char(3) not null,
  -- null for checkouts that do not come from a cart (flash-sale reservations, later)
  cart_id uuid,
  reservation_id text not null,
  payment_token text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint orders_status_known check (status in ('pending', 'paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled')),
  constraint orders_total_non_negative check (total_minor >= 0)
);

-- "my orders, newest first" is a keyset walk down this index
create index orders_customer_recent_idx on orders.orders (customer_id, created_at desc, id desc);
-- the orders-by-status gauge counts from this index alone
create index orders_status_idx on orders.orders (status);

create table orders.order_lines (
  order_id uuid not null references orders.orders (id),
  line_no integer not null,
  variant_id text not null,
  sku text not null,
  title text not null,
  quantity integer not null,
  unit_price_minor bigint not null,
  currency char(3) not null,
  primary key (order_id, line_no),
  constraint order_lines_quantity_positive check (quantity > 0),
  constraint order_lines_price_non_negative check (unit_price_minor >= 0)
);

create table orders.status_history (
  id bigint generated always as identity primary key,
  order_id uuid not null references orders.orders (id),
  -- null for the order's first status
  from_status text,
  to_status text not null,
  reason text,
  at timestamptz not null
);
create index status_history_order_idx on orders.status_history (order_id, id);

-- Stripe-style idempotency keys, scoped per customer. An in_progress row is a claim that lapses
-- at locked_until, so a crashed request does not block its key forever.
create table orders.idempotency_keys (
  customer_id text not null,
  key text not null,
  request_hash text not null,
  state text not null,
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  locked_until timestamptz not null,
  primary key (customer_id, key),
  constraint idempotency_keys_state_known check (state in ('in_progress', 'completed')),
  constraint idempotency_keys_completed_has_response check (state = 'in_progress' or response_status is not null)
);
create index idempotency_keys_created_idx on orders.idempotency_keys (created_at);
