import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startAllInOne, type RunningShop } from '../../src/runtime/all-in-one.js';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApi, createShopper, type Api } from './api.js';
import { createPostgresTestDatabaseUrl } from './databases.js';
import { cloneMigratedShopDatabase } from './pglite-templates.js';
import { GENEROUS_LIMITS_ENV } from './test-limits.js';

export interface TestShop extends RunningShop {
  dataDir: string;
  admin: { email: string; password: string };
  /** stop the shop and delete its data */
  dispose(): Promise<void>;
}

type Shopper = ReturnType<typeof createShopper>;

export const TEST_ADMIN = { email: 'admin@test.floodgate', password: 'admin-password-123' };

/**
 * A whole shop on a real port: PGlite in a temp dir, or a fresh PostgreSQL database.
 * `env` overrides configuration (e.g. FLOODGATE_PSP_URL to use a PSP the test controls).
 */
export async function startTestShop(
  engine: 'pglite' | 'postgres',
  env: Record<string, string> = {},
  options: { dataDir?: string; databaseUrl?: string; logDestination?: DestinationStream } = {},
): Promise<TestShop> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'floodgate-test-')));
  const pg = engine === 'postgres' && !options.databaseUrl ? await createPostgresTestDatabaseUrl() : undefined;
  const databaseUrl = options.databaseUrl ?? pg?.url;
  // a fresh temp dir on PGlite starts from a migrated copy instead of running initdb (pglite-templates.ts)
  if (!databaseUrl && !options.dataDir) await cloneMigratedShopDatabase(dataDir);
  const config = loadConfig({
    PORT: '0',
    FLOODGATE_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.FLOODGATE_TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    // tests send nothing while a shop stops; a shutdown test that does sets its own grace
    SHUTDOWN_IDLE_GRACE_MS: '0',
    // the statement deadline these suites had before it became configurable (see databases.ts)
    DATABASE_QUERY_TIMEOUT_MS: '10000',
    FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
    FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...GENEROUS_LIMITS_ENV,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' } : {}),
    ...env,
  });
  const shop = await startAllInOne({ config, seed: false, ...(options.logDestination ? { logDestination: options.logDestination } : {}) });
  return {
    ...shop,
    dataDir,
    admin: TEST_ADMIN,
    async dispose() {
      await shop.stop();
      await pg?.drop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A shop for one describe block: started before its tests, disposed after, with an API client,
 * the shopper steps and an admin token ready. Read the fields inside tests (they are set in beforeAll).
 */
export function useTestShop(engine: 'pglite' | 'postgres') {
  const ctx = {} as { shop: TestShop; api: Api; shopper: Shopper; admin: string };
  beforeAll(async () => {
    ctx.shop = await startTestShop(engine);
    ctx.api = createApi(ctx.shop.url);
    ctx.shopper = createShopper(ctx.api);
    ctx.admin = await ctx.shopper.adminToken(ctx.shop.admin);
  });
  afterAll(() => ctx.shop?.dispose());
  return ctx;
}
