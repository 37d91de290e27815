import pino from 'pino';
import type { AuditLog } from '../../src/platform/audit/audit-log.js';
import { auditMigrations } from '../../src/platform/audit/audit-migrations.js';
import { createSqlAuditLog } from '../../src/platform/audit/sql-audit-log.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrateAll } from '../../src/platform/db/migrate.js';

/** The real SQL audit log on a test's database (its schema migrated), for services that need one. */
export async function createTestAuditLog(db: Database): Promise<AuditLog> {
  await migrateAll(db, [auditMigrations]);
  return createSqlAuditLog(db, { logger: pino({ level: 'silent' }) });
}
