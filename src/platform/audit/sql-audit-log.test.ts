import { databaseAdapters } from '../../../test/support/databases.js';
import { auditLogContract } from './audit-log.contract-test.js';
import { auditMigrations } from './audit-migrations.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;
auditLogContract('pglite', () => pglite.create([auditMigrations]));
