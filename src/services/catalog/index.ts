import type { ServiceModule } from '../../platform/service.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
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
  // admins answer with what inventory says now: their responses must never show a stale figure
  const writeDeps = { store, cache, inventory: deps.inventory };

  return {
    name: 'catalog',
    migrations: catalogMigrations,
    routes: (app) => {
      registerCatalogRoutes(app, {
        listProducts: makeListProducts({ cache, inventory: shopperStock }),
        getProduct: makeGetProduct({ cache, inventory: shopperStock }),
        listCategories: makeListCategories({ cache }),
      });
      registerAdminCatalogRoutes(app, {
        createCategory: makeCreateCategory({ store, cache }),
        createProduct: makeCreateProduct(writeDeps),
        updateProduct: makeUpdateProduct(writeDeps),
        archiveProduct: makeArchiveProduct(writeDeps),
      });
    },
    client: {
      getVariants: (ids) => store.getVariants(ids),
    },
  };
}
