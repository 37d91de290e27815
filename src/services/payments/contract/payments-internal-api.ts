import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { PaymentsClient } from './payments-client.js';

/** PaymentsClient over HTTP: a refund is idempotent per order (its PSP idempotency key), so it is retried too */
export const PAYMENTS_INTERNAL_API: InternalApi<PaymentsClient> = {
  service: 'payments',
  methods: {
    refund: { idempotent: true, args: z.tuple([z.strictObject({ orderId: contractId(), reason: z.string().min(1).max(500) })]) },
    paymentStatus: { idempotent: true, args: z.tuple([contractId()]) },
  },
};
