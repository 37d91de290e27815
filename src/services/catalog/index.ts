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
import { createLoggingCdnPurge, type CdnPurge } from '../../platform/cache/cdn-purge.js';
import { createLayeredCache } from '../../platform/cache/layered-cache.js';
import type { SharedCacheLevel } from '../../platform/cache/redis-cache-level.js';
import { createCachedVariantSnapshots } from './cached-variant-snapshots.js';
import { createCatalogPageInvalidation } from './catalog-page-invalidation.js';
import { createCatalogPages } from './http/catalog-pages.js';
import { renderedResponseCodec } from './http/rendered-response.js';
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
import { createBulkhead } from '../../platform/resilience/bulkhead.js';

export interface CatalogServiceDeps extends ServiceDeps {
  inventory: Pick<InventoryClient, 'available'>;
  /** the `search` and `stock-counts` switches (platform/overload/degradation.ts); never degraded when absent */
  degradation?: DegradationCheck;
  audit: AuditLog;
  /**
   * How long a rendered product, list/search or category page is fresh (CATALOG_PAGE_TTL_MS, default
   * 1 s); it may then be served for half as long again while one refresh runs. Pages show stock, so
   * this bounds how old a shopper's stock figure is: ttl × 1.1 (jitter) + ttl / 2 + availabilityTtlMs.
   */
  cacheTtlMs?: number;
  /** the pages' shared level (Redis, openRedisCacheLevel) when REDIS_URL is set; absent → this process only */
  sharedPages?: SharedCacheLevel;
  /** bytes of rendered pages this process keeps (CATALOG_PAGE_CACHE_MB); default 64 MiB */
  pageCacheBytes?: number;
  /** told the surrogate keys of pages that changed; default logs them (no CDN) */
  cdnPurge?: CdnPurge;
  /**
   * how old a stock figure shown to shoppers may be; default 500 ms; 0 asks inventory on every
   * request (tests that change stock and read it back at once)
   */
  availabilityTtlMs?: number;
  /**
   * how long catalog records are used again when no product change drops them first: the variant snapshots of cart
   * answers (getVariantsCached), and the records behind a rendered page, whose refreshes then read the stock alone
   * (http/catalog-pages.ts). Default the page TTL. Set it long only where every process hears every change: one
   * process, or `sharedPages`. It bounds how long a change made outside the admin API (SQL by hand) takes to show.
   */
  recordTtlMs?: number;
  /** the bulkhead of list/search page loads (CATALOG_LIST_MAX_CONCURRENT, CATALOG_LIST_QUEUE); default 4 + 32 */
  listLoads?: { limit: number; queue: number };
}

const DEFAULT_AVAILABILITY_TTL_MS = 500;
const DEFAULT_PAGE_TTL_MS = 1_000;
const DEFAULT_LIST_LOADS = { limit: 4, queue: 32 };

export function createCatalogService(deps: CatalogServiceDeps): ServiceModule<CatalogClient> {
  const store = createSqlCatalogStore(deps.db, deps.reads);
  const pageTtlMs = deps.cacheTtlMs ?? DEFAULT_PAGE_TTL_MS;
  const recordTtlMs = deps.recordTtlMs ?? pageTtlMs;
  const pageCache = createLayeredCache({
    name: 'catalog-pages',
    codec: renderedResponseCodec,
    maxBytes: deps.pageCacheBytes ?? 64 * 1024 * 1024,
    ttlMs: pageTtlMs,
    graceMs: pageTtlMs / 2,
    metrics: deps.metrics,
    ...(deps.sharedPages ? { shared: deps.sharedPages } : {}),
    onRefreshError: (key, err) => deps.logger.warn({ key, err }, 'catalog page refresh failed; the stale page was served'),
  });
  const variants = createCachedVariantSnapshots({
    load: (ids) => store.getVariants(ids),
    ttlMs: recordTtlMs,
    ...(deps.sharedPages ? { invalidations: deps.sharedPages } : {}),
    metrics: deps.metrics,
  });
  // a change drops its product's variants with its pages: here at once, elsewhere through the shared level
  const pages = { invalidateTags: (tags: readonly string[]) => (variants.drop(tags), pageCache.invalidateTags(tags)) };
  const cache = createCatalogPageInvalidation({ store, pages, purge: deps.cdnPurge ?? createLoggingCdnPurge(deps.logger), logger: deps.logger });
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
      registerCatalogRoutes(
        app,
        createCatalogPages({
          cache: pageCache,
          listProducts: makeListProducts({ cache, inventory: inStockOrOut(shopperStock, degradation) }),
          getProduct: makeGetProduct({ cache, inventory: inStockOrOut(shopperStock, degradation) }),
          listCategories: makeListCategories({ cache }),
          degradation,
          listLoads: createBulkhead({ name: 'catalog-list', ...(deps.listLoads ?? DEFAULT_LIST_LOADS), metrics: deps.metrics }),
          recordTtlMs,
        }),
      );
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
      getVariantsCached: (ids) => variants.get(ids),
    },
  };
}
