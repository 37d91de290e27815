import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '../../../platform/db/migrate.js';
import { FLASH_SALES_SCHEMA } from './flash-sales-tables.js';

export const flashSalesMigrations: MigrationSource = {
  schema: FLASH_SALES_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
  outbox: true,
  inbox: true,
};
