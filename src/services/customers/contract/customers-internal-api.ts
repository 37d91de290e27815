import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { CustomersClient } from './customers-client.js';

/** a bearer token or an API key as the public routes accept them (auth-hook.ts reads at most this much) */
const credential = z.string().max(8_192);

/** CustomersClient over HTTP; reads (an API key's use stamp is written at most once a minute), so retried */
export const CUSTOMERS_INTERNAL_API: InternalApi<CustomersClient> = {
  service: 'customers',
  methods: {
    authenticate: { idempotent: true, args: z.tuple([z.strictObject({ bearer: credential.optional(), apiKey: credential.optional() })]) },
    jwks: { idempotent: true, args: z.tuple([]) },
    getCustomer: { idempotent: true, args: z.tuple([contractId()]) },
    revocationsSince: { idempotent: true, args: z.tuple([z.number().int().nonnegative()]) },
  },
};
