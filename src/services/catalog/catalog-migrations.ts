import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '../../platform/db/migrate.js';

/** The catalog's schema, also handed to test databases that need only the catalog. */
export const catalogMigrations: MigrationSource = {
  schema: 'catalog',
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  outbox: false,
};
