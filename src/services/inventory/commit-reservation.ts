import type { CommitResult } from './contract/inventory-client.js';
import type { StockStore } from './storage/stock-store.js';
import { isUuid } from './stock-lines.js';

/**
 * Held units leave the shelf. A hold past its expiry that the expiry worker has not released yet
 * still commits: the payment behind it may already be captured, and the units were never freed.
 */
export const makeCommitReservation =
  ({ store }: { store: StockStore }) =>
  async (reservationId: string): Promise<CommitResult> =>
    isUuid(reservationId) ? store.commit(reservationId) : { ok: false, code: 'RESERVATION_NOT_FOUND' };
