create table carts.carts (
  id uuid primary key,
  owner_id uuid not null,
  status text not null default 'open',
  -- the order that claimed the cart at checkout; a second checkout cannot claim it again
  order_id uuid,
  -- fixed by the first line (or at creation): a cart is priced in one currency
  currency char(3),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint carts_status_known check (status in ('open', 'checked_out')),
  constraint carts_checked_out_has_order check ((status = 'checked_out') = (order_id is not null))
);

create index carts_owner_idx on carts.carts (owner_id);

create table carts.items (
  id uuid primary key,
  cart_id uuid not null references carts.carts (id) on delete cascade,
  variant_id uuid not null,
  quantity integer not null,
  added_at timestamptz not null default now(),
  constraint items_quantity_range check (quantity between 1 and 99),
  constraint items_one_line_per_variant unique (cart_id, variant_id)
);
