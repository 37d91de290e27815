import type { Money } from '../../../platform/money.js';
import type { OrderStatus } from './events.js';

export interface OrderLineSnapshot {
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** An order as other services may see it (notifications, operations); no payment token, no address. */
export interface OrderSnapshot {
  id: string;
  customerId: string;
  status: OrderStatus;
  email: string | null;
  lines: OrderLineSnapshot[];
  total: Money;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrdersClient {
  /** null for an unknown id */
  getOrder(id: string): Promise<OrderSnapshot | null>;
}
