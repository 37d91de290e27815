import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgliteDatabase, createPostgresDatabase, type Database } from '../../src/platform/db/database.js';
import { migrateAll, type MigrationSource } from '../../src/platform/db/migrate.js';
import type { Metrics } from '../../src/platform/telemetry/metrics.js';
import { migratedDump } from './pglite-templates.js';
import { serviceAvailable, TEST_SERVICES } from './services.js';

export interface TestDatabase {
  db: Database;
  dispose(): Promise<void>;
}

export interface DatabaseAdapter {
  name: 'pglite' | 'postgres';
  available: boolean;
  /** a fresh, migrated database that no other test sees */
  create(sources: MigrationSource[]): Promise<TestDatabase>;
}

/** An empty database on the test server, for one suite; drop() removes it. */
export async function createPostgresTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `floodgate_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVICES.postgres });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_SERVICES.postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const drop = new pg.Client({ connectionString: TEST_SERVICES.postgres });
      await drop.connect();
      // pg's pool.end() resolves before its sockets close; a forced drop would then kill those
      // backends and the pool re-emits the 57P01 error as an uncaught exception. Wait for them first.
      for (let i = 0; i < 50; i++) {
        const { rows } = await drop.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

async function createFreshPostgres(sources: MigrationSource[]): Promise<TestDatabase> {
  const fresh = await createPostgresTestDatabaseUrl();
  // the statement deadline these suites had before it became configurable: a 1,000-way race on a shared
  // 2-core machine can wait seconds on a row lock, which is contention, not an outage
  const db = await createPostgresDatabase({ connectionString: fresh.url, maxConnections: 20, queryTimeoutMs: 10_000 });
  await migrateAll(db, sources);
  return {
    db,
    async dispose() {
      await db.close();
      await fresh.drop();
    },
  };
}

async function createFreshPglite(sources: MigrationSource[], metrics?: Metrics): Promise<TestDatabase> {
  const template = migratedDump(sources);
  const db = await createPgliteDatabase(undefined, metrics, template.dump ? { loadDataDir: template.dump } : {});
  await migrateAll(db, sources);
  if (!template.dump) await template.save(db);
  return { db, dispose: () => db.close() };
}

/**
 * Both engines every store must work on. Use with describe.each / for-of + describe.skipIf:
 *   for (const adapter of await databaseAdapters()) describe.skipIf(!adapter.available)(adapter.name, …)
 */
export async function databaseAdapters(): Promise<DatabaseAdapter[]> {
  return [
    { name: 'pglite', available: true, create: createFreshPglite },
    { name: 'postgres', available: await serviceAvailable('postgres'), create: createFreshPostgres },
  ];
}

/**
 * A fresh in-memory PGlite database migrated with `sources`, cloned from this run's template (pglite-templates.ts);
 * `metrics` counts its statements (the query duration histogram), the clone's migration check included.
 */
export async function createMigratedPglite(sources: MigrationSource[], metrics?: Metrics): Promise<Database> {
  return (await createFreshPglite(sources, metrics)).db;
}
