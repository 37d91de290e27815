import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '../db/migrate.js';

/** The audit log's own schema; every process that writes entries runs it with the services' migrations. */
export const auditMigrations: MigrationSource = {
  schema: 'audit',
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
};
