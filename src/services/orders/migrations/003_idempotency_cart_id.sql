-- The cart a checkout claim checks out, recorded with the claim before the cart is claimed. A
-- checkout that dies after claiming its cart and is never retried leaves that cart checked out by
-- an order that never existed; the abandoned-checkout sweeper finds such claims and gives the
-- cart back. Null on rows written before this column existed and on checkouts without a cart.
alter table orders.idempotency_keys add column cart_id uuid;

-- the sweeper's scan: in-progress claims by lock expiry, oldest first; completed keys (nearly
-- every row) are not in the index at all
create index idempotency_keys_abandoned_idx on orders.idempotency_keys (locked_until) where state = 'in_progress';
