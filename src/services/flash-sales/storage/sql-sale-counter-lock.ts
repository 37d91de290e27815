import type { Kysely } from 'kysely';
import type { ScopeState } from '../../../platform/counters/counter-store.js';
import type { Database } from '../../../platform/db/database.js';
import type { FlashSalesTables } from './flash-sales-tables.js';
import { readScopeState } from './sql-sale-reservation-store.js';

/**
 * One rebuilder per sale at a time, across processes: the sale's row is locked (skip locked: a
 * process that finds it taken leaves the rebuild to the holder) while `rebuild` reads what PostgreSQL
 * says and loads the counters. The state is read in the lock's own transaction, so this works on
 * PGlite's single connection too. Answers null when another process holds the sale.
 */
export interface SaleCounterLock {
  withSaleLocked<T>(saleId: string, rebuild: (readState: (quantity: number) => Promise<ScopeState>) => Promise<T>): Promise<T | null>;
}

export function createSqlSaleCounterLock(db: Database): SaleCounterLock {
  const k = db.kysely as Kysely<FlashSalesTables>;
  return {
    withSaleLocked: (saleId, rebuild) =>
      k.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('flash_sales.sales').select('id').where('id', '=', saleId).forUpdate().skipLocked().executeTakeFirst();
        if (!row) return null;
        return rebuild((quantity) => readScopeState(trx, saleId, quantity));
      }),
  };
}
