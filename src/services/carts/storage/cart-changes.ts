import { CART_LIMITS } from '../cart-limits.js';
import type { CartChangeFailure, CartRecord } from './cart-store.js';
import type { CartChange } from './cart-working-copy.js';

export type ChangeOutcome = { ok: true; cart: CartRecord; changed: boolean } | { ok: false; code: CartChangeFailure };

/**
 * The next version after `current`: at least one more, and at least the time in microseconds, so versions keep
 * rising after a working copy was lost and rebuilt from an older PostgreSQL row (lua/cart-apply.lua does the same).
 */
export const nextVersion = (current: number, nowMs: number) => Math.max(current + 1, Math.floor(nowMs) * 1000);

/**
 * One change applied to a copy of `cart` with the same rules as the SQL store (sql-cart-store.ts): owner, open
 * status, currency, 99 units per line and 50 lines. The memory working copy runs it; lua/cart-apply.lua is its twin.
 */
export function applyCartChange(cart: CartRecord, change: CartChange, now: Date): ChangeOutcome {
  if (change.kind === 'checkout') {
    if (cart.status === 'checked_out') return cart.orderId === change.orderId ? { ok: true, cart, changed: false } : { ok: false, code: 'CART_CHECKED_OUT' };
    return { ok: true, cart: { ...cart, status: 'checked_out', orderId: change.orderId, updatedAt: now }, changed: true };
  }
  if (change.kind === 'reopen') {
    if (cart.status !== 'checked_out' || cart.orderId !== change.orderId) return { ok: true, cart, changed: false };
    return { ok: true, cart: { ...cart, status: 'open', orderId: null, updatedAt: now }, changed: true };
  }
  if (cart.ownerId !== change.ownerId) return { ok: false, code: 'CART_NOT_FOUND' };
  if (cart.status !== 'open') return { ok: false, code: 'CART_CHECKED_OUT' };
  const items = cart.items;

  if (change.kind === 'add') {
    if (cart.currency && cart.currency !== change.currency) return { ok: false, code: 'CURRENCY_MISMATCH' };
    const at = items.findIndex((i) => i.variantId === change.variantId);
    let next;
    if (at >= 0) {
      const line = items[at]!;
      if (line.quantity + change.quantity > CART_LIMITS.maxQuantity) return { ok: false, code: 'QUANTITY_LIMIT' };
      next = items.map((i, n) => (n === at ? { ...i, quantity: i.quantity + change.quantity } : i));
    } else {
      if (change.quantity > CART_LIMITS.maxQuantity) return { ok: false, code: 'QUANTITY_LIMIT' };
      if (items.length >= CART_LIMITS.maxLines) return { ok: false, code: 'LINE_LIMIT' };
      next = [...items, { id: change.itemId, variantId: change.variantId, quantity: change.quantity, addedAt: now }];
    }
    return { ok: true, cart: { ...cart, currency: cart.currency ?? change.currency, items: next, updatedAt: now }, changed: true };
  }

  const at = items.findIndex((i) => i.id === change.itemId);
  if (change.kind === 'set') {
    if (change.quantity < 1 || change.quantity > CART_LIMITS.maxQuantity) return { ok: false, code: 'QUANTITY_LIMIT' };
    if (at < 0) return { ok: false, code: 'ITEM_NOT_FOUND' };
    return { ok: true, cart: { ...cart, items: items.map((i, n) => (n === at ? { ...i, quantity: change.quantity } : i)), updatedAt: now }, changed: true };
  }
  if (at < 0) return { ok: false, code: 'ITEM_NOT_FOUND' };
  return { ok: true, cart: { ...cart, items: items.filter((_, n) => n !== at), updatedAt: now }, changed: true };
}
