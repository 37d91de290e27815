import { randomUUID } from 'node:crypto';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { requestHash } from './idempotency/request-hash.js';
import { createSqlIdempotencyStore } from './idempotency/sql-idempotency-store.js';
import { ADDRESS, type OrdersShop } from './orders-shop.test-support.js';

/** what the checkout route locks a key for (makeIdempotentRequest's default) */
export const LOCK_MS = 60_000;
/** the stock hold of a checkout (the orders service's default reservation TTL) */
export const HOLD_TTL_MS = 15 * 60_000;

/**
 * An inventory client whose next reserve() does its work and then stalls until released, like a
 * process that hangs half-way through a checkout. Pass `wrapInventory` to createOrdersShop.
 */
export function createStallableInventory() {
  let stall: { gate: Promise<void>; reached: () => void } | undefined;
  return {
    wrapInventory: (client: InventoryClient): InventoryClient => ({
      ...client,
      reserve: async (input) => {
        const current = stall;
        stall = undefined;
        const result = await client.reserve(input);
        if (current) {
          current.reached();
          await current.gate;
        }
        return result;
      },
    }),
    /** arms the stall; `stalled` resolves once a reserve has done its work and is waiting for `release` */
    stallNextReserve() {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const stalled = new Promise<void>((resolve) => (reached = resolve));
      stall = { gate, reached };
      return { stalled, release };
    },
  };
}

/** a customer with a cart of two units, and the request body their checkout sends */
export async function aCheckout(shop: OrdersShop) {
  const variantId = await shop.product(5, 2500);
  const token = shop.customer();
  const cartId = await shop.cartWith(token, variantId, 2);
  const customerId = token.split(':')[1]!;
  return { variantId, token, customerId, cartId, key: randomUUID(), body: { cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' } };
}
export type Checkout = Awaited<ReturnType<typeof aCheckout>>;

/**
 * What a process that died half-way got done: its claim on the key (with the cart), the cart claimed
 * for the claim's order id and, unless `hold: false`, the stock held under that order id.
 */
export async function diedAfterCartClaim(shop: OrdersShop, { customerId, key, body, cartId, variantId }: Checkout, { hold = true } = {}) {
  const begun = await createSqlIdempotencyStore(shop.db).begin({ scope: { customerId, key }, requestHash: requestHash(body), now: shop.ordersNow(), lockMs: LOCK_MS, cartId });
  if (begun.outcome !== 'started') throw new Error(`expected a fresh claim, got ${begun.outcome}`);
  const { orderId } = begun.claim;
  const claimed = await shop.carts.markCheckedOut(cartId, orderId);
  if (!claimed.ok) throw new Error(`expected to claim the cart, got ${claimed.code}`);
  if (!hold) return { orderId, reservationId: undefined };
  const held = await shop.inventory.client.reserve({ reference: orderId, lines: [{ variantId, quantity: 2 }], ttlMs: HOLD_TTL_MS });
  if (!held.ok) throw new Error('expected a hold');
  return { orderId, reservationId: held.reservationId };
}
