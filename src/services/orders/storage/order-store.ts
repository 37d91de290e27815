import type { AuditEntry } from '../../../platform/audit/audit-log.js';
import type { Money } from '../../../platform/money.js';
import type { OrderStatus } from '../contract/events.js';
import type { IdempotencyClaim, SavedResponse } from '../idempotency/idempotency-store.js';

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderLine {
  lineNo: number;
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  email: string | null;
  shippingAddress: ShippingAddress;
  total: Money;
  cartId: string | null;
  reservationId: string;
  paymentToken: string;
  lines: OrderLine[];
  createdAt: Date;
  updatedAt: Date;
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  reason: string | null;
  at: Date;
}

/** An event written in the same transaction as the change that caused it. */
export interface OrderEvent {
  type: string;
  payload: unknown;
}

/** Position in "newest first": the last order of the previous page. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

/** The claim was taken over (its lock lapsed: by a retry, or by the abandoned-checkout sweeper) before the order committed; nothing was written. */
export class IdempotencyClaimLost extends Error {
  constructor() {
    super('the idempotency key was taken over by a later request');
    this.name = 'IdempotencyClaimLost';
  }
}

export interface OrderStore {
  /**
   * The order (pending), its lines, its first history row, its `order.placed` event and the
   * idempotency key's saved response, in one transaction: the 202 is only true once all are.
   * Throws IdempotencyClaimLost (and writes nothing) when the claim is no longer ours.
   */
  insertPlaced(input: { order: Omit<Order, 'status' | 'updatedAt'>; event: OrderEvent; idempotency: { claim: IdempotencyClaim; response: SavedResponse } }): Promise<void>;
  findById(id: string): Promise<Order | null>;
  /** the customer's orders, newest first, strictly after `after` */
  listByCustomer(customerId: string, page: { limit: number; after?: OrderCursor }): Promise<Order[]>;
  /**
   * from → to only if the order is still `from` (a conditional update), with a history row and
   * the event built from the updated order, in one transaction. Null when it was not `from`.
   */
  transition(input: {
    orderId: string;
    from: OrderStatus;
    to: OrderStatus;
    reason: string;
    at: Date;
    event: (order: Order) => OrderEvent;
    /** an admin's change: its audit entry commits with it */
    audit?: AuditEntry;
    /**
     * the order as the caller read it, in status `from`: its lines and every field an event reads (id, customer,
     * total, cart) never change once the order is placed, so nothing is read again, and without an audit entry the
     * move, its history row and its event are one statement
     */
    known?: Order;
  }): Promise<Order | null>;
  history(orderId: string): Promise<StatusChange[]>;
  countByStatus(): Promise<Map<OrderStatus, number>>;
}
