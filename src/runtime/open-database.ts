import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, PooledService } from '../config.js';
import { createPgliteDatabase, createPostgresDatabase, type Database } from '../platform/db/database.js';
import { createReadRouting, primaryOnly, type ReadRouting } from '../platform/db/read-routing.js';
import type { Logger } from 'pino';
import type { Metrics } from '../platform/telemetry/metrics.js';

/** the pool size of a process: its service's DATABASE_POOL_SIZE_<SERVICE>, else DATABASE_POOL_SIZE */
export const poolSizeFor = (config: Config, service?: PooledService) => (service ? config.databasePoolSizes[service] : undefined) ?? config.databasePoolSize;

/**
 * The compiled build's migrated empty database (scripts/build.mjs), beside this module's folder in dist/; the
 * sources have none, so a first start there runs initdb (as it does with PGLITE_TEMPLATE=off).
 */
const PGLITE_TEMPLATE = import.meta.url.endsWith('.js') ? fileURLToPath(new URL('../pglite-template', import.meta.url)) : undefined;

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite under the data dir. `service` picks its pool size. */
export function openDatabase(config: Config, metrics?: Metrics, logger?: Logger, { service }: { service?: PooledService } = {}): Promise<Database> {
  return config.databaseUrl
    ? createPostgresDatabase({
        connectionString: config.databaseUrl,
        maxConnections: poolSizeFor(config, service),
        ...config.database,
        ...(metrics ? { metrics } : {}),
        ...(logger ? { logger: logger.child({ module: 'database' }) } : {}),
      })
    : createPgliteDatabase(join(config.dataDir, 'pgdata'), metrics, {
        pingTimeoutMs: config.database.pingTimeoutMs,
        sharedBuffersMb: config.pgliteSharedBuffersMb,
        wasmCompiler: config.pgliteWasmCompiler,
        ...(PGLITE_TEMPLATE && config.pgliteTemplate ? { templateDir: PGLITE_TEMPLATE } : {}),
      });
}

/**
 * The replicas of DATABASE_REPLICA_URLS, for reads that tolerate lag, beside `primary`. A replica that is
 * down at start does not stop the process: it stays out of rotation until its health check passes.
 */
export async function openReadRouting(config: Config, primary: Database, metrics?: Metrics, logger?: Logger, { service }: { service?: PooledService } = {}): Promise<ReadRouting> {
  if (config.databaseReplicaUrls.length === 0 || primary.kind !== 'postgres') return primaryOnly(primary);
  // a replica is only read: it never listens (DATABASE_LISTEN_URL names the primary)
  const { listenConnectionString: _primaryOnly, ...database } = config.database;
  const replicas = await Promise.all(config.databaseReplicaUrls.map(async (url, i) => ({
    name: `replica-${i + 1}`,
    db: await createPostgresDatabase({
      connectionString: url,
      maxConnections: poolSizeFor(config, service),
      ...database,
      // the pool connects lazily; the health check finds out whether the replica is there
      startupTimeoutMs: 0,
      waitForServer: false,
      poolName: `replica-${i + 1}`,
      ...(metrics ? { metrics } : {}),
      ...(logger ? { logger: logger.child({ module: 'database', replica: i + 1 }) } : {}),
    }),
  })));
  const routing = createReadRouting({
    primary,
    replicas,
    maxLagMs: config.replicas.maxLagMs,
    checkIntervalMs: config.replicas.checkIntervalMs,
    windowMs: config.replicas.readYourWritesMs,
    ...(logger ? { logger: logger.child({ module: 'read-routing' }) } : {}),
  });
  await routing.check();
  return routing;
}

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `PGlite (embedded) in ${join(config.dataDir, 'pgdata')}`;
  const url = new URL(config.databaseUrl);
  const replicas = config.databaseReplicaUrls.length ? ` + ${config.databaseReplicaUrls.length} read replica(s)` : '';
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}${replicas}`;
}
