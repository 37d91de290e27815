import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { catalogMigrations } from '../catalog-migrations.js';
import { catalogStoreContract } from './catalog-store.contract-test.js';
import { createSqlCatalogStore } from './sql-catalog-store.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  catalogStoreContract('sql on postgresql', async () => {
    const { db, dispose } = await postgres.create([catalogMigrations]);
    return { store: createSqlCatalogStore(db), dispose };
  });
});
