import type { InternalApi } from '../../../platform/http/internal-api.js';
import type { CustomersClient } from './customers-client.js';

/** CustomersClient over HTTP; reads (an API key's use stamp is written at most once a minute), so retried */
export const CUSTOMERS_INTERNAL_API: InternalApi<CustomersClient> = {
  service: 'customers',
  methods: { authenticate: { idempotent: true }, jwks: { idempotent: true }, getCustomer: { idempotent: true }, revocationsSince: { idempotent: true } },
};
