import { join } from 'node:path';
import type { Config } from '../config.js';
import { createPgliteDatabase, createPostgresDatabase, type Database } from '../platform/db/database.js';
import type { Logger } from 'pino';
import type { Metrics } from '../platform/telemetry/metrics.js';

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite under the data dir. */
export function openDatabase(config: Config, metrics?: Metrics, logger?: Logger): Promise<Database> {
  return config.databaseUrl
    ? createPostgresDatabase({
        connectionString: config.databaseUrl,
        maxConnections: config.databasePoolSize,
        ...config.database,
        ...(metrics ? { metrics } : {}),
        ...(logger ? { logger: logger.child({ module: 'database' }) } : {}),
      })
    : createPgliteDatabase(join(config.dataDir, 'pgdata'), metrics, { pingTimeoutMs: config.database.pingTimeoutMs, sharedBuffersMb: config.pgliteSharedBuffersMb });
}

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `PGlite (embedded) in ${join(config.dataDir, 'pgdata')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
