-- One payment per order, charged once per idempotency key. The key is also what the PSP
-- de-duplicates on, so a redelivered order.placed can never capture twice.
create table payments.payments (
  id uuid primary key,
  -- the orders service's id; text because payments never interprets it
  order_id text not null,
  idempotency_key text not null,
  amount_minor bigint not null,
  currency char(3) not null,
  status text not null default 'pending',
  psp_reference text,
  decline_reason text,
  refund_reference text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payments_order_unique unique (order_id),
  constraint payments_idempotency_key_unique unique (idempotency_key),
  constraint payments_amount_non_negative check (amount_minor >= 0),
  constraint payments_status_known check (status in ('pending', 'captured', 'declined', 'refunded')),
  -- a captured or refunded payment always names the PSP's charge
  constraint payments_reference_when_settled check (status not in ('captured', 'refunded') or psp_reference is not null)
);
