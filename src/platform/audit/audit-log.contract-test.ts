import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { TestDatabase } from '../../../test/support/databases.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import { createSqlAuditLog } from './sql-audit-log.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { type: 'admin', id: uuidv7() },
  action: 'orders.cancelled',
  target: { type: 'order', id: uuidv7() },
  requestId: 'req-12345678',
  clientIp: '203.0.113.7',
  details: { reason: 'customer asked' },
  ...overrides,
});

/** One suite for the audit log on every engine; `fresh` opens a new database migrated with auditMigrations. */
export function auditLogContract(name: string, fresh: () => Promise<TestDatabase>) {
  describe(`${name} audit log`, () => {
    let database: TestDatabase;
    let audit: AuditLog;
    beforeAll(async () => {
      database = await fresh();
      audit = createSqlAuditLog(database.db, { logger: pino({ level: 'silent' }) });
    });
    afterAll(() => database?.dispose());

    it('when an entry is recorded, then it is listed with everything it said', async () => {
      const e = entry();
      await audit.record(e);
      const [found] = await audit.list({ actor: { type: 'admin', id: e.actor.id! }, limit: 10 });
      expect(found).toMatchObject({ actor: e.actor, action: e.action, target: e.target, requestId: e.requestId, clientIp: e.clientIp, details: e.details });
      expect(found!.occurredAt).toBeInstanceOf(Date);
    });

    it('when entries are filtered by actor, action and target, then only matching entries come back, newest first', async () => {
      const admin = { type: 'admin' as const, id: uuidv7() };
      const order = { type: 'order', id: uuidv7() };
      await audit.record(entry({ actor: admin, action: 'orders.cancelled', target: order }));
      await audit.record(entry({ actor: admin, action: 'orders.refunded', target: order }));
      await audit.record(entry({ actor: admin, action: 'orders.refunded', target: { type: 'order', id: uuidv7() } }));
      await audit.record(entry({ action: 'orders.refunded', target: order }));

      const byActor = await audit.list({ actor: admin, limit: 10 });
      expect(byActor.map((e) => e.action)).toEqual(['orders.refunded', 'orders.refunded', 'orders.cancelled']);
      expect(await audit.list({ actor: admin, action: 'orders.refunded', target: order, limit: 10 })).toHaveLength(1);
      expect(await audit.list({ target: order, limit: 10 })).toHaveLength(3);
    });

    it('when entries are read page by page, then each comes once and the pages meet', async () => {
      const actor = { type: 'api_key' as const, id: uuidv7() };
      for (let i = 0; i < 5; i++) await audit.record(entry({ actor, details: { n: i } }));
      const first = await audit.list({ actor, limit: 3 });
      const second = await audit.list({ actor, limit: 3, beforeId: first[2]!.id });
      expect([...first, ...second].map((e) => e.details.n)).toEqual([4, 3, 2, 1, 0]);
    });

    it('when two entries share a dedupe key, then only the first is stored', async () => {
      const actor = { type: 'api_key' as const, id: uuidv7() };
      const dedupeKey = `api_key.used:${actor.id}:29000000`;
      await Promise.all([1, 2, 3].map(() => audit.record(entry({ actor, action: 'api_key.used', target: null, dedupeKey }))));
      expect(await audit.list({ actor, limit: 10 })).toHaveLength(1);
    });

    it('when anyone tries to UPDATE, DELETE or TRUNCATE entries, then the database refuses and the entry stays', async () => {
      const e = entry();
      await audit.record(e);
      const k = database.db.kysely;
      await expect(sql`update audit.entries set action = 'orders.fulfilled' where target_id = ${e.target!.id}`.execute(k)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit.entries where target_id = ${e.target!.id}`.execute(k)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit.entries`.execute(k)).rejects.toThrow(/append-only/);
      expect(await audit.list({ target: e.target!, limit: 10 })).toHaveLength(1);
    });

    it('when an entry cannot be stored, then record throws instead of dropping it', async () => {
      const own = await fresh();
      const broken = createSqlAuditLog(own.db, { logger: pino({ level: 'silent' }) });
      await own.dispose();
      await expect(broken.record(entry())).rejects.toThrow();
    });
  });
}
