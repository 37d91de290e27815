import { audited } from '../../platform/audit/audited.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { ServiceModule } from '../../platform/service.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import { NEVER_DEGRADED, type DegradationCheck } from '../../platform/overload/degradation.js';
import { inStockOrOut } from './degraded-stock.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { makeArchiveProduct } from './archive-product.js';
import { createCachedAvailability } from './cached-availability.js';
import { catalogMigrations } from './catalog-migrations.js';
import { createCatalogReadCache } from './catalog-read-cache.js';
import type { CatalogClient } from './contract/catalog-client.js';
import { makeCreateCategory } from './create-category.js';
import { makeCreateProduct } from './create-product.js';
import { makeGetProduct } from './get-product.js';
import { registerAdminCatalogRoutes } from './http/admin-catalog-routes.js';
import { registerCatalogRoutes } from './http/catalog-routes.js';
import { makeListCategories } from './list-categories.js';
import { makeListProducts } from './list-products.js';
import { createSqlCatalogStore } from './storage/sql-catalog-store.js';
import { makeUpdateProduct } from './update-product.js';

export interface CatalogServiceDeps extends ServiceDeps {
  inventory: Pick<InventoryClient, 'available'>;
  /** the `search` and `stock-counts` switches (platform/overload/degradation.ts); never degraded when absent */
  degradation?: DegradationCheck;
  audit: AuditLog;
  /** how long a product, a list/search page or the category list may be served from memory; default 2 s */
  cacheTtlMs?: number;
  /**
   * how old a stock figure shown to shoppers may be; default 500 ms; 0 asks inventory on every
   * request (tests that change stock and read it back at once)
   */
  availabilityTtlMs?: number;
}

const DEFAULT_AVAILABILITY_TTL_MS = 500;

export function createCatalogService(deps: CatalogServiceDeps): ServiceModule<CatalogClient> {
  const store = createSqlCatalogStore(deps.db);
  const cache = createCatalogReadCache({ store, metrics: deps.metrics, ...(deps.cacheTtlMs !== undefined ? { ttlMs: deps.cacheTtlMs } : {}) });
  // shoppers' stock figures may be a moment old (see cached-availability.ts for why that is safe)
  const shopperStock = createCachedAvailability({ inventory: deps.inventory, ttlMs: deps.availabilityTtlMs ?? DEFAULT_AVAILABILITY_TTL_MS, metrics: deps.metrics });
  const degradation = deps.degradation ?? NEVER_DEGRADED;
  // admins answer with what inventory says now: their responses must never show a stale figure
  const writeDeps = { store, cache, inventory: deps.inventory };
  const { audit } = deps;

  return {
    name: 'catalog',
    migrations: catalogMigrations,
    routes: (app) => {
      registerCatalogRoutes(app, {
        listProducts: makeListProducts({ cache, inventory: inStockOrOut(shopperStock, degradation), degradation }),
        getProduct: makeGetProduct({ cache, inventory: inStockOrOut(shopperStock, degradation) }),
        listCategories: makeListCategories({ cache }),
      });
      registerAdminCatalogRoutes(app, {
        createCategory: audited(audit, makeCreateCategory({ store, cache }), ({ category }) => ({
          action: 'catalog.category_created',
          target: { type: 'category', id: category.id },
          details: { slug: category.slug },
        })),
        createProduct: audited(audit, makeCreateProduct(writeDeps), ({ product }) => ({
          action: 'catalog.product_created',
          target: { type: 'product', id: product.id },
          details: { slug: product.slug, variants: product.variants.length },
        })),
        updateProduct: audited(audit, makeUpdateProduct(writeDeps), ({ product }, _id, patch) => ({
          action: 'catalog.product_updated',
          target: { type: 'product', id: product.id },
          // which fields changed, not their values: the entry stays small and the product row has them
          details: { fields: Object.keys(patch).sort().join(',') },
        })),
        archiveProduct: audited(audit, makeArchiveProduct(writeDeps), ({ product }) => ({
          action: 'catalog.product_archived',
          target: { type: 'product', id: product.id },
        })),
      });
    },
    client: {
      getVariants: (ids) => store.getVariants(ids),
    },
  };
}
