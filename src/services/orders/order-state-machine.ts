import type { AuditEntry } from '../../platform/audit/audit-log.js';
import { OrderEvents, type OrderStatus, type OrderStatusChanged } from './contract/events.js';
import type { Order, OrderStore } from './storage/order-store.js';

export const ORDER_STATUSES = ['pending', 'paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled'] as const satisfies readonly OrderStatus[];

/**
 * The only legal moves. payment_failed, cancelled and refunded are final: money and stock have
 * been settled for them, and reopening one would need a new order, not a new status.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'payment_failed', 'cancelled'],
  paid: ['cancelled', 'refunded', 'fulfilled'],
  fulfilled: ['refunded'],
  payment_failed: [],
  cancelled: [],
  refunded: [],
};

/** the event each target status announces */
const EVENT_OF: Readonly<Record<OrderStatus, string | undefined>> = {
  pending: undefined,
  paid: OrderEvents.paid,
  payment_failed: OrderEvents.paymentFailed,
  cancelled: OrderEvents.cancelled,
  refunded: OrderEvents.refunded,
  fulfilled: OrderEvents.fulfilled,
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export const isFinal = (status: OrderStatus): boolean => TRANSITIONS[status].length === 0;

/** an order as the store reads it (findById), not just its id and status */
const isWholeOrder = (order: Pick<Order, 'id' | 'status'> & Partial<Order>): order is Order =>
  order.customerId !== undefined && order.total !== undefined && order.cartId !== undefined && order.lines !== undefined && order.createdAt !== undefined;

export type TransitionResult =
  | { ok: true; order: Order }
  | { ok: false; code: 'ORDERS_ILLEGAL_TRANSITION'; from: OrderStatus; to: OrderStatus }
  /** someone else changed the order since it was read: read it again and decide again */
  | { ok: false; code: 'ORDERS_STATUS_CHANGED' };

export interface TransitionOrderDeps {
  store: OrderStore;
  clock: () => Date;
  /** after a commit that wrote an event, so the relay publishes it now */
  onEventsWritten: () => void;
}

/**
 * Moves an order from the status it was read in: a conditional update, a history row and the
 * status event, atomically (one statement when the caller read the whole order and no audit entry goes
 * with it). Concurrent movers of one order cannot both win.
 */
export const makeTransitionOrder =
  ({ store, clock, onEventsWritten }: TransitionOrderDeps) =>
  async (order: Pick<Order, 'id' | 'status'> & Partial<Order>, to: OrderStatus, reason: string, audit?: AuditEntry): Promise<TransitionResult> => {
    const from = order.status;
    const type = EVENT_OF[to];
    if (!canTransition(from, to) || !type) return { ok: false, code: 'ORDERS_ILLEGAL_TRANSITION', from, to };
    const moved = await store.transition({
      orderId: order.id,
      from,
      to,
      reason,
      at: clock(),
      event: (o) => ({ type, payload: { orderId: o.id, customerId: o.customerId, from, to, total: o.total, reason, cartId: o.cartId } satisfies OrderStatusChanged }),
      ...(audit ? { audit } : {}),
      // a caller that read the whole order saves the store reading it again, and round trips
      ...(isWholeOrder(order) ? { known: order } : {}),
    });
    if (!moved) return { ok: false, code: 'ORDERS_STATUS_CHANGED' };
    onEventsWritten();
    return { ok: true, order: moved };
  };

export type TransitionOrder = ReturnType<typeof makeTransitionOrder>;
