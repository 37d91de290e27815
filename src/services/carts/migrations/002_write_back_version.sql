-- the working copy's version of the cart this row holds (carts/storage/write-back-cart-store.ts): a write-back
-- only replaces the row with a newer version, so a late flush never overwrites a newer cart with an older one
alter table carts.carts add column version bigint not null default 0;
