import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Envelope } from '../../../platform/crypto/envelope.js';
import type { Database } from '../../../platform/db/database.js';
import type { RewrapReport } from '../../../platform/service.js';
import { createAccountPersonalData, emailAad, nameAad, type SealedAccountFields } from './account-personal-data.js';

interface AccountsTable {
  'customers.accounts': SealedAccountFields & { id: string; email: string | null; name: string | null };
}

export interface AccountSealing {
  /**
   * The start-time data step of migration 002: seals the email and name of rows written before it
   * and clears their plaintext, a batch per transaction. Idempotent (a sealed row has no
   * plaintext left) and cheap when done (one indexed-nothing query). Answers how many rows it sealed.
   */
  sealPlaintextRows(): Promise<number>;
  /** after a KEK rotation: every sealed value re-wrapped, every blind index recomputed */
  rewrapRows(): Promise<RewrapReport>;
}

export function createSqlAccountSealing(db: Database, envelope: Envelope, logger: Logger, batchSize = 500): AccountSealing {
  const k = db.kysely as Kysely<AccountsTable>;
  const personal = createAccountPersonalData(envelope);

  return {
    async sealPlaintextRows() {
      let sealed = 0;
      for (;;) {
        const rows = await k
          .selectFrom('customers.accounts')
          .select(['id', 'email', 'name'])
          .where((eb) => eb.or([eb('email', 'is not', null), eb('name', 'is not', null)]))
          .orderBy('id')
          .limit(batchSize)
          .execute();
        if (rows.length === 0) break;
        await k.transaction().execute(async (trx) => {
          for (const row of rows) {
            // conditional on the plaintext we read, so two processes upgrading at once cannot interleave
            const result = await trx
              .updateTable('customers.accounts')
              .set({ ...personal.seal(row.id, row), email: null, name: null })
              .where('id', '=', row.id)
              .where(sql<boolean>`email is not distinct from ${row.email}`)
              .where(sql<boolean>`name is not distinct from ${row.name}`)
              .executeTakeFirst();
            sealed += Number(result.numUpdatedRows);
          }
        });
      }
      if (sealed > 0) {
        // an UPDATE leaves the old row version (the plaintext) in the table file until it is
        // rewritten; VACUUM FULL rewrites it now rather than whenever autovacuum reuses the space
        await sql`vacuum full customers.accounts`.execute(k);
        logger.info({ sealed }, 'customers: sealed the personal data of accounts written before encryption');
      }
      return sealed;
    },

    async rewrapRows() {
      let scanned = 0;
      let rewrapped = 0;
      let after: string | undefined;
      for (;;) {
        let query = k
          .selectFrom('customers.accounts')
          .select(['id', 'email_index', 'email_sealed', 'name_sealed'])
          .where((eb) => eb.or([eb('email_sealed', 'is not', null), eb('name_sealed', 'is not', null)]))
          .orderBy('id')
          .limit(batchSize);
        if (after !== undefined) query = query.where('id', '>', after);
        const rows = await query.execute();
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        scanned += rows.length;
        await k.transaction().execute(async (trx) => {
          for (const row of rows) {
            const next: SealedAccountFields = {
              email_sealed: row.email_sealed === null ? null : envelope.rewrap(row.email_sealed, emailAad(row.id)),
              name_sealed: row.name_sealed === null ? null : envelope.rewrap(row.name_sealed, nameAad(row.id)),
              // the index key derives from the current KEK: recomputed from the opened email
              email_index: row.email_sealed === null ? null : personal.emailIndex(envelope.open(row.email_sealed, emailAad(row.id))),
            };
            if (next.email_sealed === row.email_sealed && next.name_sealed === row.name_sealed && next.email_index === row.email_index) continue;
            await trx.updateTable('customers.accounts').set(next).where('id', '=', row.id).execute();
            rewrapped++;
          }
        });
      }
      return { service: 'customers.accounts', scanned, rewrapped };
    },
  };
}
