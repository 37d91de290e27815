import { sql, type Kysely, type Selectable } from 'kysely';
import type { JWK } from 'jose';
import type { Database } from '../../../platform/db/database.js';
import type { NewSigningKey, SigningKeyRecord, SigningKeyStore } from './signing-key-store.js';

interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: JWK;
  private_jwk: JWK | null;
  private_key_sealed: string | null;
  active: boolean;
  created_at: Date;
  retired_at: Date | null;
}

interface SigningKeyTables {
  'customers.signing_keys': SigningKeyRow;
}

const toSigningKey = (r: Selectable<SigningKeyRow>): SigningKeyRecord => ({
  kid: r.kid,
  alg: r.alg,
  publicJwk: r.public_jwk,
  privateKeySealed: r.private_key_sealed,
  legacyPrivateJwk: r.private_jwk,
  active: r.active,
  createdAt: r.created_at,
  retiredAt: r.retired_at,
});

const signingKeyValues = (k: NewSigningKey) => ({
  kid: k.kid,
  alg: k.alg,
  // both drivers take text for jsonb; an object parameter is not portable between them
  public_jwk: sql<JWK>`${JSON.stringify(k.publicJwk)}::jsonb`,
  private_key_sealed: k.privateKeySealed,
  active: true,
  created_at: k.createdAt,
});

export function createSqlSigningKeyStore(db: Database): SigningKeyStore {
  const k = db.kysely as Kysely<SigningKeyTables>;

  return {
    async insertActiveSigningKey(key) {
      const rows = await k
        .insertInto('customers.signing_keys')
        .values(signingKeyValues(key))
        .onConflict((oc) => oc.doNothing())
        .returning('kid')
        .execute();
      return rows.length === 1;
    },

    async findActiveSigningKey() {
      const row = await k.selectFrom('customers.signing_keys').selectAll().where('active', '=', true).executeTakeFirst();
      return row ? toSigningKey(row) : null;
    },

    async listPublishedSigningKeys() {
      const rows = await k
        .selectFrom('customers.signing_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('kid')
        .execute();
      return rows.map(toSigningKey);
    },

    replaceActiveSigningKey(next) {
      return k.transaction().execute(async (trx) => {
        const previous = await trx
          .updateTable('customers.signing_keys')
          .set({ active: false })
          .where('active', '=', true)
          .returning('kid')
          .executeTakeFirst();
        await trx.insertInto('customers.signing_keys').values(signingKeyValues(next)).execute();
        return { previousKid: previous?.kid ?? null };
      });
    },

    async retireSigningKey(kid, at) {
      // one conditional statement, so a key cannot become active between a check and the update
      const retired = await k
        .updateTable('customers.signing_keys')
        .set({ retired_at: sql<Date>`coalesce(retired_at, ${at})` })
        .where('kid', '=', kid)
        .where('active', '=', false)
        .executeTakeFirst();
      if (retired.numUpdatedRows === 1n) return 'retired';
      const exists = await k.selectFrom('customers.signing_keys').select('kid').where('kid', '=', kid).executeTakeFirst();
      return exists ? 'active' : 'not_found';
    },

    async listAllSigningKeys() {
      return (await k.selectFrom('customers.signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute()).map(toSigningKey);
    },

    async replaceSealedPrivateKey(kid, expected, sealed) {
      // compare-and-set, so two processes sealing or re-wrapping at once cannot lose an update
      const result = await k
        .updateTable('customers.signing_keys')
        .set({ private_key_sealed: sealed, private_jwk: null })
        .where('kid', '=', kid)
        .where((eb) => (expected === null ? eb('private_key_sealed', 'is', null) : eb('private_key_sealed', '=', expected)))
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}
