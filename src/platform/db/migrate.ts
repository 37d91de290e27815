import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { PLATFORM_MIGRATIONS, type PlatformTable } from '../bus/messaging-migrations.js';
import type { Database } from './database.js';

/** A service's migrations: plain SQL files, the same on PGlite and PostgreSQL. */
export interface MigrationSource {
  /** the PostgreSQL schema the service owns */
  schema: string;
  /** folder holding 001_name.sql, 002_name.sql … */
  directory: string;
  /** give the service a transactional outbox table (`<schema>.outbox`) */
  outbox?: boolean;
  /** give the service an inbox (`<schema>.inbox`): its event consumers apply each message once (bus/inbox.ts) */
  inbox?: boolean;
  /**
   * A data migration SQL cannot do (encrypting existing rows), run after the SQL files on every
   * migrate; it must be idempotent and cheap when there is nothing left to do.
   */
  afterMigrate?: () => Promise<void>;
}

class SqlFileProvider implements MigrationProvider {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.directory)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(join(this.directory, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/**
 * Runs every pending migration of every service. Kysely's migrator takes a lock row, so several
 * processes starting at once apply each file exactly once.
 */
export async function migrateAll(db: Database, sources: MigrationSource[]): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const source of sources) {
    await sql.raw(`create schema if not exists ${quoteIdent(source.schema)}`).execute(db.kysely);
    const migrator = new Migrator({
      db: db.kysely,
      provider: new SqlFileProvider(source.directory),
      migrationTableSchema: source.schema,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${source.schema}/${failed} failed: ${String((error as Error).message ?? error)}`, { cause: error });
    }
    const platform = await migratePlatformTables(db, source);
    await source.afterMigrate?.();
    reports.push({ schema: source.schema, applied: [...(results ?? []).map((r) => r.migrationName), ...platform] });
  }
  return reports;
}

/** The outbox and inbox of a schema, in their own migration history (bus/messaging-migrations.ts). */
async function migratePlatformTables(db: Database, source: MigrationSource): Promise<string[]> {
  const tables = (['outbox', 'inbox'] as PlatformTable[]).filter((t) => source[t]);
  if (tables.length === 0) return [];
  const migrations: Record<string, Migration> = {};
  for (const table of tables) {
    for (const [name, ddl] of Object.entries(PLATFORM_MIGRATIONS[table])) {
      migrations[name] = { up: async (k) => void (await sql.raw(ddl(source.schema)).execute(k)) };
    }
  }
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: source.schema,
    migrationTableName: 'platform_migration',
    migrationLockTableName: 'platform_migration_lock',
    // outbox and inbox histories are independent: an inbox added to a schema whose outbox migrated long ago is fine
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${source.schema}/${failed} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name ${name}`);
  return `"${name}"`;
}
