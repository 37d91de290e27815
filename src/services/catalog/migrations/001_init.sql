-- Catalog: categories, products, variants. Read-heavy: every public list query has an index whose
-- order matches its ORDER BY, so a page is an index range scan, never a sort of the whole table.
create table catalog.categories (
  id uuid primary key,
  slug text not null,
  name text not null,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  constraint categories_slug_key unique (slug)
);

create table catalog.products (
  id uuid primary key,
  slug text not null,
  name text not null,
  description text not null default '',
  category_id uuid not null references catalog.categories (id),
  status text not null default 'active',
  -- millisecond precision: the keyset cursor carries created_at through a JS Date, which has no microseconds
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  -- cheapest active variant, kept by the variants triggers below, so price filters and sorts are one index
  min_price_minor bigint not null default 0,
  -- every variant of a product is priced in this currency, so min_price_minor compares like with like
  currency char(3) not null,
  search tsvector generated always as (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
  ) stored,
  constraint products_slug_key unique (slug),
  constraint products_status_known check (status in ('active', 'archived')),
  constraint products_min_price_non_negative check (min_price_minor >= 0)
);

-- sort=newest (default)
create index products_status_created_idx on catalog.products (status, created_at desc, id desc);
-- category=… with sort=newest: the category page
create index products_category_status_created_idx on catalog.products (category_id, status, created_at desc, id desc);
-- sort=price_asc / price_desc (scanned backwards), minPrice / maxPrice
create index products_status_price_idx on catalog.products (status, min_price_minor, id);
-- sort=name
create index products_status_name_idx on catalog.products (status, name, id);
-- q=… full-text search. fastupdate off: catalog writes are rare and searches are hot, and with a
-- pending list every search scans it linearly (and after a bulk load the planner then prefers a
-- sequential scan of the table); writes pay the GIN update at insert time instead.
create index products_search_idx on catalog.products using gin (search) with (fastupdate = off);

create table catalog.variants (
  id uuid primary key,
  product_id uuid not null references catalog.products (id),
  sku text not null,
  title text not null,
  price_minor bigint not null,
  currency char(3) not null,
  status text not null default 'active',
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint variants_sku_key unique (sku),
  constraint variants_price_non_negative check (price_minor >= 0),
  constraint variants_status_known check (status in ('active', 'archived'))
);

create index variants_product_idx on catalog.variants (product_id, position);

-- Statement-level triggers with transition tables: a bulk insert of 500 variants refreshes each
-- touched product once, not once per row, and rows whose minimum did not change are not rewritten
-- (a rewrite would also re-index the product's search vector).
create function catalog.refresh_min_price() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    update catalog.products p
       set min_price_minor = coalesce((select min(v.price_minor) from catalog.variants v where v.product_id = p.id and v.status = 'active'), 0)
     where p.id in (select product_id from old_rows)
       and p.min_price_minor is distinct from coalesce((select min(v.price_minor) from catalog.variants v where v.product_id = p.id and v.status = 'active'), 0);
  else
    update catalog.products p
       set min_price_minor = coalesce((select min(v.price_minor) from catalog.variants v where v.product_id = p.id and v.status = 'active'), 0)
     where p.id in (select product_id from new_rows)
       and p.min_price_minor is distinct from coalesce((select min(v.price_minor) from catalog.variants v where v.product_id = p.id and v.status = 'active'), 0);
  end if;
  return null;
end
$$;

create trigger variants_min_price_on_insert after insert on catalog.variants
  referencing new table as new_rows for each statement execute function catalog.refresh_min_price();
create trigger variants_min_price_on_update after update on catalog.variants
  referencing new table as new_rows for each statement execute function catalog.refresh_min_price();
create trigger variants_min_price_on_delete after delete on catalog.variants
  referencing old table as old_rows for each statement execute function catalog.refresh_min_price();
