-- A payment is charged by the payments worker, not inside the event that announced it: the row
-- carries what a charge needs (the PSP token, the order's stock hold) and its own retry state, so
-- a retry waits in the table (next_attempt_at) instead of in a sleeping process.
alter table payments.payments
  add column payment_token text,
  -- the order's inventory hold, kept alive while this payment may still capture
  add column reservation_id text,
  add column next_attempt_at timestamptz not null default now(),
  -- a worker owns the payment until then; a worker that died mid-charge loses it after the lease
  add column lease_expires_at timestamptz,
  add column last_error text;

-- workers only ever scan payments that are still to be charged
create index payments_due_idx on payments.payments (next_attempt_at) where status = 'pending';
