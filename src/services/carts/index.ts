import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { ServiceModule, Worker } from '../../platform/service.js';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import { makeAddCartItem } from './add-cart-item.js';
import { createCachedVariants } from './cached-variants.js';
import { makeChangeCartItemQuantity } from './change-cart-item-quantity.js';
import type { CartsClient } from './contract/carts-client.js';
import { makeCreateCart } from './create-cart.js';
import { makeGetCart } from './get-cart.js';
import { makeGetCartForCheckout } from './get-cart-for-checkout.js';
import { registerCartRoutes } from './http/cart-routes.js';
import { makeMarkCartCheckedOut } from './mark-cart-checked-out.js';
import { makeRemoveCartItem } from './remove-cart-item.js';
import { makeReopenCart } from './reopen-cart.js';
import type { CartStore } from './storage/cart-store.js';
import type { CartWorkingCopy } from './storage/cart-working-copy.js';
import { createCartFlusher } from './storage/cart-flusher.js';
import { createSqlCartSnapshots } from './storage/sql-cart-snapshots.js';
import { CARTS_SCHEMA, createSqlCartStore } from './storage/sql-cart-store.js';
import { createWriteBackCartStore } from './storage/write-back-cart-store.js';

export type { CartWorkingCopy } from './storage/cart-working-copy.js';
export { createMemoryCartWorkingCopy } from './storage/memory-cart-working-copy.js';
export { createRedisCartWorkingCopy } from './storage/redis-cart-working-copy.js';

export const cartsMigrations: MigrationSource = {
  schema: CARTS_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
};

export type CartsServiceDeps = ServiceDeps & {
  /** prices every line at the current catalog price: one getVariants call per request (or none, see variantCacheTtlMs) */
  catalog: CatalogClient;
  /** CARTS_MAX_OPEN_PER_CUSTOMER; 20 when absent */
  maxOpenCartsPerCustomer?: number;
  /**
   * Where carts are read and changed first (write-back, docs/carts.md): Redis shared by every process, or this
   * process's memory in the all-in-one. Without it every change is a PostgreSQL transaction (several processes
   * without Redis: a memory copy per process would not see the others' changes).
   */
  workingCopy?: CartWorkingCopy;
  /**
   * how long cart answers keep a variant from the catalog's cached snapshots here too (CATALOG_PAGE_TTL_MS when the
   * catalog is another process: it saves the call); 0 or absent: every answer asks getVariantsCached, which is what
   * the all-in-one does (the catalog is in this process). Checkout always asks getVariants.
   */
  variantCacheTtlMs?: number;
  /** with a Redis working copy: how long after a change its write to PostgreSQL is due (CARTS_FLUSH_INTERVAL_MS) */
  flushIntervalMs?: number;
  /**
   * with a Redis working copy: the write-back of due carts run outside this event loop (CARTS_WRITE_BACK_THREAD,
   * runtime/cart-write-back-thread.ts); this process then writes only status changes through, and what is left at its stop
   */
  flushElsewhere?: CartWriteBackElsewhere;
};

/** a write-back loop run outside the carts service's event loop (runtime/cart-write-back-thread.ts) */
export interface CartWriteBackElsewhere {
  start(): void;
  stop(): Promise<void>;
}

/** floodgate_cart_flushes_total, counted by a write-back wherever it runs (this process or its background thread) */
export function countCartFlushes(metrics: Metrics): (carts: number, written: number) => void {
  const flushed = metrics.counter('floodgate_cart_flushes_total', 'Carts written back from the working copy to PostgreSQL (written: newer than the row; skipped: a newer one was there)', ['outcome']);
  return (carts, written) => {
    flushed.inc({ outcome: 'written' }, written);
    if (carts > written) flushed.inc({ outcome: 'skipped' }, carts - written);
  };
}

/**
 * The write-back loop alone, for a thread or process that serves no cart requests (runtime/cart-write-back-thread.ts):
 * writes the due carts of a Redis working copy to PostgreSQL until stopped, then what is left. Any number may run.
 */
export function startCartWriteBack({ db, workingCopy, logger, metrics, flushIntervalMs = 50 }: { db: Database; workingCopy: CartWorkingCopy; logger: Logger; metrics: Metrics; flushIntervalMs?: number }): { stop(): Promise<void> } {
  if (workingCopy.kind !== 'redis') throw new Error('only a Redis working copy is shared with a write-back elsewhere');
  const flusher = createCartFlusher({ workingCopy, snapshots: createSqlCartSnapshots(db), logger, delayMs: flushIntervalMs, periodic: true, onFlushed: countCartFlushes(metrics) });
  flusher.start();
  return { stop: () => flusher.stop() };
}

/** the store the use cases get: the write-back store over a working copy, or the SQL store alone */
function openCartStore(deps: CartsServiceDeps): { store: CartStore; workers: Worker[] } {
  const sql = createSqlCartStore(deps.db);
  const { workingCopy } = deps;
  if (!workingCopy) return { store: sql, workers: [] };
  const { flushElsewhere } = deps;
  const store = createWriteBackCartStore({
    sql,
    snapshots: createSqlCartSnapshots(deps.db),
    workingCopy,
    logger: deps.logger,
    // memory: no delay, the request waits for its write (group commit); Redis: the write follows later, coalesced
    flushDelayMs: workingCopy.kind === 'memory' ? 0 : (deps.flushIntervalMs ?? 50),
    flushHere: !flushElsewhere,
    onFlushed: countCartFlushes(deps.metrics),
  });
  // a loop of the process holding the working copy: with Redis it also writes carts a killed process left due. With
  // the loop elsewhere, this store's stop still writes what is left once (nothing, unless a change came after the loop's)
  const worker: Worker = flushElsewhere
    ? { name: 'carts-write-back', start: () => flushElsewhere.start(), stop: () => flushElsewhere.stop().then(() => store.close()) }
    : { name: 'carts-write-back', start: () => store.flusher.start(), stop: () => store.close() };
  return { store, workers: [worker] };
}

export function createCartsService(deps: CartsServiceDeps): ServiceModule<CartsClient> {
  const { store, workers } = openCartStore(deps);
  const { catalog } = deps;
  // cart answers price from the catalog's cached snapshots (dropped by product changes), held here too when the
  // catalog is in another process; checkout (getForCheckout) asks the catalog itself
  const pricing = createCachedVariants({ getVariants: (ids) => catalog.getVariantsCached(ids) }, { ttlMs: deps.variantCacheTtlMs ?? 0, metrics: deps.metrics });

  const client: CartsClient = {
    getForCheckout: makeGetCartForCheckout({ store, catalog }),
    markCheckedOut: makeMarkCartCheckedOut({ store }),
    reopen: makeReopenCart({ store }),
  };

  return {
    name: 'carts',
    migrations: cartsMigrations,
    routes: (app) =>
      registerCartRoutes(app, {
        createCart: makeCreateCart({ store, maxOpen: deps.maxOpenCartsPerCustomer ?? 20 }),
        getCart: makeGetCart({ store, catalog: pricing }),
        addCartItem: makeAddCartItem({ store, catalog: pricing }),
        changeCartItemQuantity: makeChangeCartItemQuantity({ store, catalog: pricing }),
        removeCartItem: makeRemoveCartItem({ store, catalog: pricing }),
      }),
    client,
    workers,
  };
}
