import type { InternalApi } from '../../../platform/http/internal-api.js';
import type { CatalogClient } from './catalog-client.js';

/** CatalogClient over HTTP (platform/http/internal-client.ts); reads only, so retried */
export const CATALOG_INTERNAL_API: InternalApi<CatalogClient> = {
  service: 'catalog',
  methods: { getVariants: { idempotent: true }, getVariantsCached: { idempotent: true } },
};
