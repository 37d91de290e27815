import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import { MAX_UNITS } from '../stock-lines.js';
import type { InventoryClient } from './inventory-client.js';

/** what mergeLines (stock-lines.ts) accepts: at least one line, each a positive whole number of units */
const stockLines = z.array(z.strictObject({ variantId: contractId(), quantity: z.number().int().min(1).max(MAX_UNITS) })).min(1).max(1_000);
const reason = z.string().min(1).max(500);

/**
 * InventoryClient over HTTP. Every method is idempotent by contract (per reference, per reservation id),
 * so a call whose answer was lost may be sent again: the retry finds the hold its first attempt made.
 */
export const INVENTORY_INTERNAL_API: InternalApi<InventoryClient> = {
  service: 'inventory',
  methods: {
    reserve: { idempotent: true, args: z.tuple([z.strictObject({ reference: contractId(), lines: stockLines, ttlMs: z.number().int().min(1), from: contractId().optional() })]) },
    commit: { idempotent: true, args: z.tuple([contractId()]) },
    commitExpired: { idempotent: true, args: z.tuple([contractId()]) },
    extendReservation: { idempotent: true, args: z.tuple([contractId(), z.date()]) },
    release: { idempotent: true, args: z.tuple([contractId(), reason]) },
    restock: { idempotent: true, args: z.tuple([z.strictObject({ reference: contractId(), lines: stockLines, soldFrom: contractId().optional() })]) },
    available: { idempotent: true, args: z.tuple([z.array(contractId()).max(1_000)]) },
  },
};
