import type { CommitExpiredResult } from './contract/inventory-client.js';
import { isUuid } from './stock-lines.js';
import type { StockStore } from './storage/stock-store.js';

/**
 * A payment captured after its order's hold expired: the sale stands if the units are still on the
 * shelf, so the customer is not refunded for our own timeout. Only a hold the expiry sweep released
 * is taken back; one its owner released (a cancel, a declined card) stays released.
 */
export const makeCommitExpiredReservation =
  ({ store }: { store: StockStore }) =>
  async (reservationId: string): Promise<CommitExpiredResult> =>
    isUuid(reservationId) ? store.commitExpired(reservationId) : { ok: false, code: 'RESERVATION_NOT_FOUND' };
