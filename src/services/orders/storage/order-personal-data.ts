import type { Envelope } from '../../../platform/crypto/envelope.js';
import type { ShippingAddress } from './order-store.js';

/**
 * How an order's personal data is kept at rest: the email and the shipping address are sealed,
 * each under its own data key, with an aad naming table, column and order, so a sealed value
 * copied onto another order does not open. Nothing looks orders up by these values.
 */
export const emailAad = (orderId: string) => `orders.orders.email:${orderId}`;
export const shippingAddressAad = (orderId: string) => `orders.orders.shipping_address:${orderId}`;

export interface SealedOrderFields {
  email_sealed: string | null;
  shipping_address_sealed: string | null;
}

export interface OrderPersonalData {
  seal(orderId: string, fields: { email: string | null; shippingAddress: ShippingAddress }): SealedOrderFields;
  open(orderId: string, row: SealedOrderFields): { email: string | null; shippingAddress: ShippingAddress };
}

export function createOrderPersonalData(envelope: Envelope): OrderPersonalData {
  return {
    seal: (id, { email, shippingAddress }) => ({
      email_sealed: email === null ? null : envelope.seal(email, emailAad(id)),
      shipping_address_sealed: envelope.seal(JSON.stringify(shippingAddress), shippingAddressAad(id)),
    }),
    open: (id, row) => {
      if (row.shipping_address_sealed === null) throw new Error(`orders: order ${id} has no sealed shipping address (the start-time data step has not run)`);
      return {
        email: row.email_sealed === null ? null : envelope.open(row.email_sealed, emailAad(id)),
        shippingAddress: JSON.parse(envelope.open(row.shipping_address_sealed, shippingAddressAad(id))) as ShippingAddress,
      };
    },
  };
}
