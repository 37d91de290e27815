import { sql, type Kysely, type Selectable } from 'kysely';
import type { Envelope } from '../../../platform/crypto/envelope.js';
import type { Database } from '../../../platform/db/database.js';
import { isUuid } from '../../../platform/ids.js';
import type {
  Account,
  AccountRole,
  ApiKeyRecord,
  CustomerStore,
  NewRefreshToken,
  RefreshTokenRecord,
} from './customer-store.js';
import { createAccountPersonalData, type SealedAccountFields } from './account-personal-data.js';

interface AccountRow extends SealedAccountFields {
  id: string;
  /** plaintext of rows written before migration 002; null once the data step sealed them */
  email: string | null;
  name: string | null;
  password_hash: string | null;
  role: AccountRole;
  created_at: Date;
  deactivated_at: Date | null;
}

interface RefreshTokenRow {
  id: string;
  family_id: string;
  customer_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: 'admin';
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

interface CustomersTables {
  'customers.accounts': AccountRow;
  'customers.refresh_tokens': RefreshTokenRow;
  'customers.api_keys': ApiKeyRow;
}

// Principals that are not accounts (api keys: `apikey:<id>`) reach lookups by id; PostgreSQL would
// reject them as uuid input with an error, so they are answered "not found" before any query.


const toRefreshToken = (r: Selectable<RefreshTokenRow>): RefreshTokenRecord => ({
  id: r.id,
  familyId: r.family_id,
  customerId: r.customer_id,
  tokenHash: r.token_hash,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

const toApiKey = (r: Pick<ApiKeyRow, Exclude<keyof ApiKeyRow, 'key_hash'>>): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const refreshTokenValues = (t: NewRefreshToken) => ({
  id: t.id,
  family_id: t.familyId,
  customer_id: t.customerId,
  token_hash: t.tokenHash,
  expires_at: t.expiresAt,
  created_at: t.createdAt,
});

const API_KEY_COLUMNS = ['id', 'name', 'prefix', 'role', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

/** how stale last_used_at may get: the write it saves matters more than minute precision */
const LAST_USED_PRECISION_MS = 60_000;

export function createSqlCustomerStore(db: Database, envelope: Envelope): CustomerStore {
  const k = db.kysely as Kysely<CustomersTables>;
  const personal = createAccountPersonalData(envelope);

  const toAccount = (r: Selectable<AccountRow>): Account => ({
    id: r.id,
    ...personal.open(r.id, r),
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  });

  /** revokes every live refresh token of a family or of a customer; answers how many */
  const revokeRefreshTokensWhere = async (column: 'family_id' | 'customer_id', value: string, at: Date) => {
    const result = await k
      .updateTable('customers.refresh_tokens')
      .set({ revoked_at: at })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  };

  return {
    async insertAccount(a) {
      // no conflict target: the only unique index besides the id is the email's blind index, and any duplicate means "taken"
      const rows = await k
        .insertInto('customers.accounts')
        .values({ id: a.id, ...personal.seal(a.id, a), password_hash: a.passwordHash, role: a.role, created_at: a.createdAt })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return rows.length === 1;
    },

    async findAccountById(id) {
      if (!isUuid(id)) return null;
      const row = await k.selectFrom('customers.accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAccount(row) : null;
    },

    async findAccountByEmail(email) {
      const row = await k
        .selectFrom('customers.accounts')
        .selectAll()
        .where('email_index', '=', personal.emailIndex(email))
        .executeTakeFirst();
      return row ? toAccount(row) : null;
    },

    async updateAccount(id, changes) {
      if (changes.role === undefined && changes.passwordHash === undefined) return;
      await k
        .updateTable('customers.accounts')
        .set({
          ...(changes.role !== undefined ? { role: changes.role } : {}),
          ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async deactivateAccount(id, at) {
      if (!isUuid(id)) return false;
      const result = await k
        .updateTable('customers.accounts')
        .set({ deactivated_at: sql<Date>`coalesce(deactivated_at, ${at})` })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async isAccountDeactivated(id) {
      if (!isUuid(id)) return false;
      const row = await k.selectFrom('customers.accounts').select('deactivated_at').where('id', '=', id).executeTakeFirst();
      return Boolean(row?.deactivated_at);
    },

    async insertRefreshToken(t) {
      await k.insertInto('customers.refresh_tokens').values(refreshTokenValues(t)).execute();
    },

    async findRefreshToken(tokenHash) {
      const row = await k.selectFrom('customers.refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? toRefreshToken(row) : null;
    },

    rotateRefreshToken(usedId, usedAt, next) {
      return k.transaction().execute(async (trx) => {
        // the conditional update is the race arbiter: of N concurrent rotations exactly one
        // changes the row; on PostgreSQL the others wait for its row lock, then match nothing
        const claimed = await trx
          .updateTable('customers.refresh_tokens')
          .set({ used_at: usedAt })
          .where('id', '=', usedId)
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (claimed.numUpdatedRows !== 1n) return false;
        await trx.insertInto('customers.refresh_tokens').values(refreshTokenValues(next)).execute();
        return true;
      });
    },

    revokeRefreshFamily: (familyId, at) => revokeRefreshTokensWhere('family_id', familyId, at),

    revokeRefreshTokensOf: (customerId, at) => revokeRefreshTokensWhere('customer_id', customerId, at),

    async insertApiKey(key) {
      await k
        .insertInto('customers.api_keys')
        .values({ id: key.id, name: key.name, prefix: key.prefix, key_hash: key.keyHash, role: key.role, created_at: key.createdAt, expires_at: key.expiresAt })
        .execute();
    },

    async listApiKeys({ limit, afterId }) {
      let query = k.selectFrom('customers.api_keys').select(API_KEY_COLUMNS).orderBy('id').limit(limit);
      if (afterId !== undefined) {
        if (!isUuid(afterId)) return [];
        query = query.where('id', '>', afterId);
      }
      return (await query.execute()).map(toApiKey);
    },

    async revokeApiKey(id, at) {
      if (!isUuid(id)) return null;
      const row = await k
        .updateTable('customers.api_keys')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at})` })
        .where('id', '=', id)
        .returning('key_hash')
        .executeTakeFirst();
      return row ? { keyHash: row.key_hash } : null;
    },

    async useApiKey(keyHash, at) {
      // one statement finds the live key and records its use, when the last record is stale
      const touched = await k
        .updateTable('customers.api_keys')
        .set({ last_used_at: at })
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(at.getTime() - LAST_USED_PRECISION_MS))]))
        .returning(API_KEY_COLUMNS)
        .executeTakeFirst();
      if (touched) return toApiKey(touched);
      // recently recorded (or not live): a read decides, and writes nothing
      const row = await k
        .selectFrom('customers.api_keys')
        .select(API_KEY_COLUMNS)
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
  };
}
