import type { Principal } from '../../platform/auth/principal.js';
import type { Order, OrderStore, StatusChange } from './storage/order-store.js';

export type OrderWithHistory = Order & { history: StatusChange[] };

/**
 * The order if the viewer may see it: its owner, or an admin. Anyone else gets null, exactly as
 * for an order that does not exist, so ids reveal nothing.
 */
export const makeGetOrder =
  ({ store }: { store: OrderStore }) =>
  async (orderId: string, viewer: Pick<Principal, 'customerId' | 'role'>): Promise<OrderWithHistory | null> => {
    const order = await store.findById(orderId);
    if (!order || (viewer.role !== 'admin' && order.customerId !== viewer.customerId)) return null;
    return { ...order, history: await store.history(orderId) };
  };
