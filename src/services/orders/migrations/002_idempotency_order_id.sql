-- The order a checkout claim places, chosen when the key is first claimed. A retry that takes over
-- the claim of a crashed request resumes that same order (its cart claim and its stock hold)
-- instead of starting another. Null on rows written before this column existed.
alter table orders.idempotency_keys add column order_id uuid;
