import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { OrderStatus } from '../contract/events.js';

export const ORDERS_SCHEMA = 'orders';

/** jsonb: written as a JSON string cast to jsonb, read back parsed */
type Json<T> = ColumnType<T, string, string>;

export interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  /** plaintext of orders placed before migration 004; null once the data step sealed them */
  email: ColumnType<string | null, null | undefined, null>;
  shipping_address: ColumnType<unknown, null | undefined, null>;
  /** sealed by the envelope (order-personal-data.ts) */
  email_sealed: string | null;
  shipping_address_sealed: string | null;
  total_minor: number;
  currency: string;
  cart_id: string | null;
  reservation_id: string;
  payment_token: string;
  created_at: Date;
  updated_at: Date;
}

export interface OrderLineRow {
  order_id: string;
  line_no: number;
  variant_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price_minor: number;
  currency: string;
}

export interface StatusHistoryRow {
  id: Generated<number>;
  order_id: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  reason: string | null;
  at: Date;
}

export interface IdempotencyKeyRow {
  customer_id: string;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: Json<unknown> | null;
  created_at: Generated<Date>;
  locked_until: Date;
  /** the order this key's request places; null only on rows older than migration 002 */
  order_id: string | null;
  /** the cart this key's checkout claims; null on rows older than migration 003 */
  cart_id: string | null;
}

/** The orders schema's tables, keyed by schema-qualified name. */
export interface OrdersTables {
  'orders.orders': OrderRow;
  'orders.order_lines': OrderLineRow;
  'orders.status_history': StatusHistoryRow;
  'orders.idempotency_keys': IdempotencyKeyRow;
}

export type OrdersDb = Kysely<OrdersTables> | Transaction<OrdersTables>;
