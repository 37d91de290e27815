import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import type { FlashSalesTables } from './flash-sales-tables.js';
import type { SecretStore } from './secret-store.js';

export function createSqlSecretStore(db: Database): SecretStore {
  const k = db.kysely as Kysely<FlashSalesTables>;
  const find = async (name: string) => (await k.selectFrom('flash_sales.secrets').select('secret_sealed').where('name', '=', name).executeTakeFirst())?.secret_sealed ?? null;
  return {
    find,
    async insertIfAbsent(name, sealed) {
      // two processes starting at once both try: the primary key lets one win, both read the winner's
      await k.insertInto('flash_sales.secrets').values({ name, secret_sealed: sealed }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const stored = await find(name);
      if (!stored) throw new Error(`flash-sales: secret ${name} missing right after it was stored`);
      return stored;
    },
    async list() {
      const rows = await k.selectFrom('flash_sales.secrets').select(['name', 'secret_sealed']).orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, sealed: r.secret_sealed }));
    },
    async replace(name, expected, sealed) {
      const result = await k.updateTable('flash_sales.secrets').set({ secret_sealed: sealed }).where('name', '=', name).where('secret_sealed', '=', expected).executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}
