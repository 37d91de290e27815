import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { CartsClient } from './carts-client.js';

/** CartsClient over HTTP: the claim and its undo are idempotent per order id, so every call may be retried */
export const CARTS_INTERNAL_API: InternalApi<CartsClient> = {
  service: 'carts',
  methods: {
    getForCheckout: { idempotent: true, args: z.tuple([contractId(), contractId(), z.strictObject({ orderId: contractId().optional() }).optional()]) },
    markCheckedOut: { idempotent: true, args: z.tuple([contractId(), contractId()]) },
    reopen: { idempotent: true, args: z.tuple([contractId(), contractId()]) },
  },
};
