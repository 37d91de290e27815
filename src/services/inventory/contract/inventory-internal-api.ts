import type { InternalApi } from '../../../platform/http/internal-api.js';
import type { InventoryClient } from './inventory-client.js';

/**
 * InventoryClient over HTTP. Every method is idempotent by contract (per reference, per reservation id),
 * so a call whose answer was lost may be sent again: the retry finds the hold its first attempt made.
 */
export const INVENTORY_INTERNAL_API: InternalApi<InventoryClient> = {
  service: 'inventory',
  methods: {
    reserve: { idempotent: true },
    commit: { idempotent: true },
    commitExpired: { idempotent: true },
    extendReservation: { idempotent: true },
    release: { idempotent: true },
    restock: { idempotent: true },
    available: { idempotent: true },
  },
};
