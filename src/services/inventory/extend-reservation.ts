import type { ExtendResult } from './contract/inventory-client.js';
import type { StockStore } from './storage/stock-store.js';
import { isUuid } from './stock-lines.js';

export interface ExtendReservationDeps {
  store: StockStore;
  clock: () => Date;
  /** the furthest a single call may push an expiry; a bug upstream must not hold stock for a year */
  maxExtensionMs?: number;
}

/**
 * Keeps a hold alive while its owner still needs it (a payment being retried). Extending never
 * shortens, and never brings back a hold that was committed, released or expired.
 */
export const makeExtendReservation =
  ({ store, clock, maxExtensionMs = 24 * 60 * 60_000 }: ExtendReservationDeps) =>
  async (reservationId: string, until: Date): Promise<ExtendResult> => {
    if (!isUuid(reservationId)) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
    const latest = clock().getTime() + maxExtensionMs;
    return store.extend(reservationId, new Date(Math.min(until.getTime(), latest)));
  };
