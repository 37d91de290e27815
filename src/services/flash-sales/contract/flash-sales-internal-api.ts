import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { FlashSalesClient } from './flash-sales-client.js';

/** FlashSalesClient over HTTP: claim and release are idempotent per order id, so retried */
export const FLASH_SALES_INTERNAL_API: InternalApi<FlashSalesClient> = {
  service: 'flash-sales',
  methods: {
    claimReservation: { idempotent: true, args: z.tuple([z.strictObject({ reservationId: contractId(), customerId: contractId(), orderId: contractId() })]) },
    releaseClaim: { idempotent: true, args: z.tuple([z.strictObject({ reservationId: contractId(), orderId: contractId() })]) },
    getSale: { idempotent: true, args: z.tuple([contractId()]) },
  },
};
