import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createMigratedPglite } from '../../../test/support/databases.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { isSealed } from '../../platform/crypto/envelope.js';
import { createSaleKeys } from './sale-keys.js';
import { flashSalesMigrations } from './storage/flash-sales-migrations.js';
import { createSqlSecretStore } from './storage/sql-secret-store.js';

describe('waiting-room keys', () => {
  it('when two processes start on one database, then both sign with the same keys, and the stored secret is sealed', async () => {
    const db = await createMigratedPglite([flashSalesMigrations]);
    try {
      const envelope = createTestEnvelope();
      const [a, b] = [createSaleKeys({ store: createSqlSecretStore(db), envelope }), createSaleKeys({ store: createSqlSecretStore(db), envelope })];
      const [ka, kb] = await Promise.all([a.get(), b.get()]);
      expect(ka.ticket.equals(kb.ticket)).toBe(true);
      expect(Buffer.from(ka.admission).equals(Buffer.from(kb.admission))).toBe(true);
      expect(ka.ticket.equals(Buffer.from(ka.admission))).toBe(false);
      const { rows } = await sql<{ secret_sealed: string }>`select secret_sealed from flash_sales.secrets`.execute(db.kysely);
      expect(rows).toHaveLength(1);
      expect(isSealed(rows[0]!.secret_sealed)).toBe(true);
      // a process with another key-encryption key cannot open it, so it cannot sign
      await expect(createSaleKeys({ store: createSqlSecretStore(db), envelope: createTestEnvelope() }).get()).rejects.toThrow();
      expect(await a.rewrap()).toEqual({ service: 'flash-sales', scanned: 1, rewrapped: 0 });
    } finally {
      await db.close();
    }
  });
});
