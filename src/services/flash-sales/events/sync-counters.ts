import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { CounterStore } from '../../../platform/counters/counter-store.js';
import type { FlashSaleReservationChanged } from '../contract/events.js';
import { followUpCounters } from '../counter-follow-up.js';

/**
 * The durable half of every counter follow-up: `flash_sale.reservation_changed` is written in the
 * transaction that changed the reservation, so the counters catch up even when the inline step
 * failed (Redis down) or the process died right after the commit. A counter store that throws
 * makes the delivery fail, and the event comes again.
 */
export function syncCountersOnReservationChange({ counters }: { counters: CounterStore }): EventHandler<FlashSaleReservationChanged> {
  return async (event) => {
    const { saleId, reservationId, to } = event.payload;
    await followUpCounters(counters, saleId, reservationId, to);
  };
}
