import type { Counter } from 'prom-client';
import type { ServiceModule } from '../../platform/service.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { makeArchiveProduct } from './archive-product.js';
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
  /** how long a product page or the category list may be served from memory; default 2 s */
  cacheTtlMs?: number;
}

const CACHE_LOOKUPS = 'floodgate_catalog_cache_lookups_total';

export function createCatalogService(deps: CatalogServiceDeps): ServiceModule<CatalogClient> {
  const store = createSqlCatalogStore(deps.db);
  // several modules may share one registry (tests, all-in-one): register the counter once
  const lookups =
    (deps.metrics.registry.getSingleMetric(CACHE_LOOKUPS) as Counter<'cache' | 'result'> | undefined) ??
    deps.metrics.counter(CACHE_LOOKUPS, 'Catalog read-cache lookups by cache and hit/miss', ['cache', 'result']);
  const cache = createCatalogReadCache({
    store,
    ...(deps.cacheTtlMs !== undefined ? { ttlMs: deps.cacheTtlMs } : {}),
    onLookup: (name, hit) => lookups.inc({ cache: name, result: hit ? 'hit' : 'miss' }),
  });
  const writeDeps = { store, cache, inventory: deps.inventory };

  return {
    name: 'catalog',
    migrations: catalogMigrations,
    routes: (app) => {
      registerCatalogRoutes(app, {
        listProducts: makeListProducts({ store, inventory: deps.inventory }),
        getProduct: makeGetProduct({ cache, inventory: deps.inventory }),
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
