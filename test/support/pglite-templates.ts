import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/platform/db/database.js';
import type { MigrationSource } from '../../src/platform/db/migrate.js';
import { runMigrations } from '../../src/runtime/admin-commands.js';

/**
 * PGlite's initdb costs 1.5–2 s of CPU per database, several times what the tests then do with it, and the
 * suite creates hundreds. So each migrated database is built once per test run (the first test that needs it
 * builds it, every other worker reuses it): in-memory databases start from a dump of it, test shops from a copy
 * of its data directory. The clones are still migrated by the caller (a no-op that also runs afterMigrate), so a
 * template can never hide a migration that does not apply.
 */
function templateDir(): string | undefined {
  // FLOODGATE_TEST_PGLITE_TEMPLATES=off builds every database from scratch (to rule templates out when a test fails)
  if (process.env.FLOODGATE_TEST_PGLITE_TEMPLATES === 'off') return undefined;
  try {
    return inject('pgliteTemplateDir');
  } catch {
    return undefined; // outside a vitest run with the global setup: every database is built from scratch
  }
}

/** writes by rename, so a worker never reads a half-written template (two workers may build the same one) */
function publish(target: string, write: (staging: string) => void) {
  const staging = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  write(staging);
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker published it first
  }
}

const dumps = new Map<string, Blob>();

/** the dump of a database migrated with `sources`, if an earlier test of this run made one */
export function migratedDump(sources: MigrationSource[]): { dump?: Blob; save(db: Database): Promise<void> } {
  const dir = templateDir();
  const key = createHash('sha256').update(JSON.stringify(sources.map(({ schema, directory, outbox, inbox }) => [schema, directory, outbox, inbox]))).digest('hex').slice(0, 16);
  const file = dir ? join(dir, `pglite-${key}.tar`) : undefined;
  let dump = dumps.get(key);
  if (!dump && file && existsSync(file)) dumps.set(key, (dump = new Blob([readFileSync(file)])));
  return {
    ...(dump ? { dump } : {}),
    async save(db) {
      if (!file || existsSync(file) || !db.dumpDataDir) return;
      const fresh = await db.dumpDataDir();
      const bytes = Buffer.from(await fresh.arrayBuffer());
      publish(file, (staging) => writeFileSync(staging, bytes));
    },
  };
}

/**
 * Fills `dataDir` with the data directory of an all-in-one shop's database after `floodgate migrate` (no admin,
 * no signing keys: the shop creates those at its start, so shops never share keys). No-op outside a test run.
 */
export async function cloneMigratedShopDatabase(dataDir: string): Promise<void> {
  const dir = templateDir();
  if (!dir) return;
  const template = join(dir, 'shop-pgdata');
  if (!existsSync(template)) {
    const staging = mkdtempSync(join(dir, 'shop-staging-'));
    try {
      await runMigrations(loadConfig({ FLOODGATE_DATA_DIR: staging, LOG_LEVEL: 'silent' }));
      publish(template, (target) => cpSync(join(staging, 'pgdata'), target, { recursive: true }));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  cpSync(template, join(dataDir, 'pgdata'), { recursive: true });
}
