import type { Generated, Transaction } from 'kysely';
import type { FlashSaleStatus, SaleReservationStatus } from '../contract/flash-sales-client.js';
import type { SaleRecord } from './sale-store.js';
import type { SaleReservationRecord } from './sale-reservation-store.js';

export const FLASH_SALES_SCHEMA = 'flash_sales';

export interface SaleRow {
  id: string;
  variant_id: string;
  price_amount: number;
  price_currency: string;
  quantity: number;
  per_customer_limit: number;
  admission_rate_per_second: number;
  reservation_lease_ms: number;
  admission_ttl_ms: number;
  allow_guests: boolean;
  starts_at: Date;
  ends_at: Date;
  status: Generated<FlashSaleStatus>;
  paused: Generated<boolean>;
  allocation_reservation_id: string | null;
  allocation_released_at: Date | null;
  counters_dropped_at: Generated<Date | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SaleReservationRow {
  id: string;
  sale_id: string;
  customer_id: string;
  quantity: number;
  idempotency_key: string;
  request_hash: string;
  status: Generated<SaleReservationStatus>;
  order_id: string | null;
  expires_at: Date;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SecretRow {
  name: string;
  secret_sealed: string;
  created_at: Generated<Date>;
}

export interface FlashSalesTables {
  'flash_sales.sales': SaleRow;
  'flash_sales.sale_reservations': SaleReservationRow;
  'flash_sales.secrets': SecretRow;
}

export type FlashSalesTrx = Transaction<FlashSalesTables>;

type Stored<T> = { [K in keyof T]: T[K] extends Generated<infer V> ? V : T[K] };

export const toSale = (r: Stored<SaleRow>): SaleRecord => ({
  id: r.id,
  variantId: r.variant_id,
  price: { amount: Number(r.price_amount), currency: r.price_currency },
  quantity: r.quantity,
  perCustomerLimit: r.per_customer_limit,
  admissionRatePerSecond: Number(r.admission_rate_per_second),
  reservationLeaseMs: r.reservation_lease_ms,
  admissionTtlMs: r.admission_ttl_ms,
  allowGuests: r.allow_guests,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
  status: r.status,
  paused: r.paused,
  allocationReservationId: r.allocation_reservation_id,
  allocationReleasedAt: r.allocation_released_at ? new Date(r.allocation_released_at) : null,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export const toSaleReservation = (r: Stored<SaleReservationRow>): SaleReservationRecord => ({
  id: r.id,
  saleId: r.sale_id,
  customerId: r.customer_id,
  quantity: r.quantity,
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  status: r.status,
  orderId: r.order_id,
  expiresAt: new Date(r.expires_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});
