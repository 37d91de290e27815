import { describe } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { auditLogContract } from './audit-log.contract-test.js';
import { auditMigrations } from './audit-migrations.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
describe.skipIf(!postgres.available)('postgres', () => {
  auditLogContract('postgresql', () => postgres.create([auditMigrations]));
});
