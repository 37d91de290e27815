import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../platform/bus/event-bus.js';
import type { OrderStatusChanged } from '../../orders/contract/events.js';
import { fromReservation } from './on-order-outcome.js';

const paid = (extra: Partial<OrderStatusChanged>): DomainEvent<OrderStatusChanged> => ({
  id: 'e1',
  type: 'order.paid',
  occurredAt: new Date().toISOString(),
  payload: { orderId: 'o1', customerId: 'c1', from: 'pending', to: 'paid', total: { amount: 100, currency: 'EUR' }, ...extra },
});

describe('which order events the flash-sales subscribers look at', () => {
  it('when the order came from a cart, then it is skipped; from a reservation, or an event older than cartId, then it is handled', () => {
    expect(fromReservation(paid({ cartId: '0193a1b2-0000-7000-8000-000000000000' }))).toBe(false);
    expect(fromReservation(paid({ cartId: null }))).toBe(true);
    expect(fromReservation(paid({}))).toBe(true);
  });
});
