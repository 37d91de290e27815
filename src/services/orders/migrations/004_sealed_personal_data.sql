-- Personal data at rest: an order's email and shipping address are stored sealed by the envelope
-- (src/platform/crypto/envelope.ts; the aad binds each value to its column and order). No lookup
-- needs them by value, so there is no blind index. Orders placed before this migration are
-- sealed, and their plaintext cleared, by the start-time data step (sql-order-sealing.ts).
alter table orders.orders
  add column email_sealed text,
  add column shipping_address_sealed text;
alter table orders.orders alter column shipping_address drop not null;
alter table orders.orders add constraint orders_has_shipping_address
  check (shipping_address is not null or shipping_address_sealed is not null);
