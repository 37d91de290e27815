import { createTestAuditLog } from '../../../../test/support/audit.js';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import type { Authenticate } from '../../../platform/auth/principal.js';
import { createInProcessEventBus } from '../../../platform/bus/in-process-event-bus.js';
import type { Database } from '../../../platform/db/database.js';
import { CommonErrors } from '../../../platform/http/app-error.js';
import { createHttpApp } from '../../../platform/http/create-http-app.js';
import type { HttpApp, ServiceModule } from '../../../platform/service.js';
import { createMetrics, type Metrics } from '../../../platform/telemetry/metrics.js';
import type { SharedCacheLevel } from '../../../platform/cache/redis-cache-level.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { AdminProduct } from '../contract/catalog-api.js';
import type { CatalogClient } from '../contract/catalog-client.js';
import type { DegradationCheck } from '../../../platform/overload/degradation.js';
import { createCatalogService } from '../index.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';
import { catalogMigrations } from '../catalog-migrations.js';

/**
 * Test harness for the catalog's route tests (not used by production code): a real Fastify app
 * from createHttpApp, a real PGlite database, and an inventory that reads a Map, since the
 * inventory service is built separately and only its `available` contract matters here.
 */
export interface CatalogTestApp {
  app: HttpApp;
  db: Database;
  catalog: ServiceModule<CatalogClient>;
  /** units available per variant id; unknown variants have 0, as in the inventory contract */
  stock: Map<string, number>;
  /** every call made to inventory.available, in order */
  availabilityCalls: string[][];
  /** this app's metrics (database statements are counted in floodgate_db_query_duration_seconds) */
  metrics: Metrics;
  createCategory(): Promise<{ id: string; slug: string; name: string }>;
  createProduct(categoryId: string, body?: Record<string, unknown>): Promise<AdminProduct>;
  close(): Promise<void>;
}

export const ADMIN = { authorization: 'Bearer admin-token' };
export const CUSTOMER = { authorization: 'Bearer customer-token' };

const authenticate: Authenticate = async ({ bearer }) => {
  if (!bearer) return null;
  if (bearer === 'admin-token') return { customerId: '0190f0f0-0000-7000-8000-000000000001', role: 'admin', via: 'token' };
  if (bearer === 'customer-token') return { customerId: '0190f0f0-0000-7000-8000-000000000002', role: 'customer', via: 'token' };
  throw CommonErrors.invalidToken();
};

/** options go to createCatalogService: pass `availabilityTtlMs: 0` where a test changes stock and reads it back at once */
export async function createCatalogTestApp(
  {
    db: sharedDb,
    availabilityGate,
    ...options
  }: {
    cacheTtlMs?: number;
    recordTtlMs?: number;
    availabilityTtlMs?: number;
    sharedPages?: SharedCacheLevel;
    db?: Database;
    degradation?: DegradationCheck;
    listLoads?: { limit: number; queue: number };
    /** when given, every inventory.available call waits for it (a slow dependency the test releases) */
    availabilityGate?: () => Promise<void>;
  } = {},
): Promise<CatalogTestApp> {
  const metrics = createMetrics('catalog-test');
  // a second app may share the first one's database (two processes, one PostgreSQL); it does not close it. Its own is
  // a clone of this run's migrated catalog database, migrated there (PGlite's initdb is 1.5–2 s of CPU: pglite-templates.ts)
  const db = sharedDb ?? (await createMigratedPglite([catalogMigrations], metrics));
  const stock = new Map<string, number>();
  const availabilityCalls: string[][] = [];
  const inventory: Pick<InventoryClient, 'available'> = {
    async available(ids) {
      availabilityCalls.push([...ids]);
      await availabilityGate?.();
      return new Map(ids.map((id) => [id, stock.get(id) ?? 0]));
    },
  };
  const logger = pino({ level: 'silent' });
  const catalog = createCatalogService({ db, bus: createInProcessEventBus(), logger, metrics, envelope: createTestEnvelope(), inventory, audit: await createTestAuditLog(db), ...options });
  const app = await createHttpApp({ logger, metrics, authenticate, modules: [catalog], readinessChecks: {} });
  await app.ready();

  const post = async <T>(url: string, payload: Record<string, unknown>): Promise<T> => {
    const res = await app.inject({ method: 'POST', url, headers: ADMIN, payload });
    if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json() as T;
  };

  return {
    app,
    db,
    catalog,
    stock,
    availabilityCalls,
    metrics,
    createCategory: () => {
      const tag = uuidv7().slice(-12);
      return post('/v1/admin/categories', { slug: `category-${tag}`, name: `Category ${tag}` });
    },
    createProduct: (categoryId, body = {}) => {
      const tag = uuidv7().slice(-12);
      return post<AdminProduct>('/v1/admin/products', {
        name: `Product ${tag}`,
        description: 'Test product',
        categoryId,
        variants: [{ sku: `T-${tag}`, title: 'One size', price: { amount: 1999, currency: 'USD' } }],
        ...body,
      });
    },
    async close() {
      await app.close();
      if (!sharedDb) await db.close();
    },
  };
}
