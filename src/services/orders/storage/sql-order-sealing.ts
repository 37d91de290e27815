import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Envelope } from '../../../platform/crypto/envelope.js';
import type { Database } from '../../../platform/db/database.js';
import type { RewrapReport } from '../../../platform/service.js';
import { createOrderPersonalData, emailAad, shippingAddressAad } from './order-personal-data.js';
import type { ShippingAddress } from './order-store.js';
import type { OrdersTables } from './orders-tables.js';

export interface OrderSealing {
  /**
   * The start-time data step of migration 004: seals the email and address of orders placed before
   * it and clears their plaintext, a batch per transaction. Idempotent and cheap when done.
   */
  sealPlaintextRows(): Promise<number>;
  /** after a KEK rotation: every sealed value re-wrapped with the current key */
  rewrapRows(): Promise<RewrapReport>;
}

export function createSqlOrderSealing(db: Database, envelope: Envelope, logger: Logger, batchSize = 500): OrderSealing {
  const k = db.kysely as Kysely<OrdersTables>;
  const personal = createOrderPersonalData(envelope);

  return {
    async sealPlaintextRows() {
      let sealed = 0;
      for (;;) {
        const rows = await k
          .selectFrom('orders.orders')
          .select(['id', 'email', 'shipping_address'])
          .where('shipping_address', 'is not', null)
          .orderBy('id')
          .limit(batchSize)
          .execute();
        if (rows.length === 0) break;
        await k.transaction().execute(async (trx) => {
          for (const row of rows) {
            // an order's address and email never change, so "still plaintext" is the only condition
            // two processes upgrading at once need: the second one's update matches nothing
            const result = await trx
              .updateTable('orders.orders')
              .set({ ...personal.seal(row.id, { email: row.email, shippingAddress: row.shipping_address as ShippingAddress }), email: null, shipping_address: null })
              .where('id', '=', row.id)
              .where('shipping_address', 'is not', null)
              .executeTakeFirst();
            sealed += Number(result.numUpdatedRows);
          }
        });
      }
      if (sealed > 0) {
        // rewrite the table file now, so the old (plaintext) row versions leave it
        await sql`vacuum full orders.orders`.execute(k);
        logger.info({ sealed }, 'orders: sealed the email and shipping address of orders placed before encryption');
      }
      return sealed;
    },

    async rewrapRows() {
      let scanned = 0;
      let rewrapped = 0;
      let after: string | undefined;
      for (;;) {
        let query = k
          .selectFrom('orders.orders')
          .select(['id', 'email_sealed', 'shipping_address_sealed'])
          .where('shipping_address_sealed', 'is not', null)
          .orderBy('id')
          .limit(batchSize);
        if (after !== undefined) query = query.where('id', '>', after);
        const rows = await query.execute();
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        scanned += rows.length;
        await k.transaction().execute(async (trx) => {
          for (const row of rows) {
            const email = row.email_sealed === null ? null : envelope.rewrap(row.email_sealed, emailAad(row.id));
            const address = envelope.rewrap(row.shipping_address_sealed!, shippingAddressAad(row.id));
            if (email === row.email_sealed && address === row.shipping_address_sealed) continue;
            await trx.updateTable('orders.orders').set({ email_sealed: email, shipping_address_sealed: address }).where('id', '=', row.id).execute();
            rewrapped++;
          }
        });
      }
      return { service: 'orders.orders', scanned, rewrapped };
    },
  };
}
