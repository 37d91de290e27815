import type { StockStore } from './storage/stock-store.js';
import { isUuid } from './stock-lines.js';

export interface ReleaseReservationDeps {
  store: StockStore;
  /** called after a release wrote its `stock.released` event, so the relay publishes it now */
  onEventsWritten: () => void;
}

/** Held units go back to available; a committed, released or unknown reservation is left alone. */
export const makeReleaseReservation =
  ({ store, onEventsWritten }: ReleaseReservationDeps) =>
  async (reservationId: string, reason: string): Promise<void> => {
    if (!isUuid(reservationId)) return;
    if (await store.release(reservationId, reason)) onEventsWritten();
  };
