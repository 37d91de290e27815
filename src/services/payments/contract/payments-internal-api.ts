import type { InternalApi } from '../../../platform/http/internal-api.js';
import type { PaymentsClient } from './payments-client.js';

/** PaymentsClient over HTTP: a refund is idempotent per order (its PSP idempotency key), so it is retried too */
export const PAYMENTS_INTERNAL_API: InternalApi<PaymentsClient> = {
  service: 'payments',
  methods: { refund: { idempotent: true }, paymentStatus: { idempotent: true } },
};
