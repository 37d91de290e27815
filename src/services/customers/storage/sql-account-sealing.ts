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
        // one UPDATE … FROM (VALUES …) per batch, conditional on the plaintext we read, so two
        // processes upgrading at once cannot interleave (the second one's rows match nothing)
        const values = rows.map((row) => {
          const sealedRow = personal.seal(row.id, row);
          return sql`(${row.id}::uuid, ${sealedRow.email_index}, ${sealedRow.email_sealed}, ${sealedRow.name_sealed}, ${row.email}, ${row.name})`;
        });
        const result = await sql`
          update customers.accounts a
          set email_index = v.email_index, email_sealed = v.email_sealed, name_sealed = v.name_sealed, email = null, name = null
          from (values ${sql.join(values)}) as v (id, email_index, email_sealed, name_sealed, old_email, old_name)
          where a.id = v.id and a.email is not distinct from v.old_email and a.name is not distinct from v.old_name`.execute(k);
        sealed += Number(result.numAffectedRows ?? 0n);
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
        const changed = rows.flatMap((row) => {
          const next: SealedAccountFields = {
            email_sealed: row.email_sealed === null ? null : envelope.rewrap(row.email_sealed, emailAad(row.id)),
            name_sealed: row.name_sealed === null ? null : envelope.rewrap(row.name_sealed, nameAad(row.id)),
            // the index key derives from the current KEK: recomputed from the opened email
            email_index: row.email_sealed === null ? null : personal.emailIndex(envelope.open(row.email_sealed, emailAad(row.id))),
          };
          const same = next.email_sealed === row.email_sealed && next.name_sealed === row.name_sealed && next.email_index === row.email_index;
          return same ? [] : [sql`(${row.id}::uuid, ${next.email_index}, ${next.email_sealed}, ${next.name_sealed})`];
        });
        if (changed.length === 0) continue;
        await sql`
          update customers.accounts a
          set email_index = v.email_index, email_sealed = v.email_sealed, name_sealed = v.name_sealed
          from (values ${sql.join(changed)}) as v (id, email_index, email_sealed, name_sealed)
          where a.id = v.id`.execute(k);
        rewrapped += changed.length;
      }
      return { service: 'customers.accounts', scanned, rewrapped };
    },
  };
}
