import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { CatalogClient } from './catalog-client.js';

/** a cart's or an order's variants at once: bounded well above the largest cart */
const variantIds = z.tuple([z.array(contractId()).max(1_000)]);

/** CatalogClient over HTTP (platform/http/internal-client.ts); reads only, so retried */
export const CATALOG_INTERNAL_API: InternalApi<CatalogClient> = {
  service: 'catalog',
  methods: { getVariants: { idempotent: true, args: variantIds }, getVariantsCached: { idempotent: true, args: variantIds } },
};
