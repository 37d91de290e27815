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
        // one UPDATE … FROM (VALUES …) per batch. An order's address and email never change, so
        // "still plaintext" is the only condition two processes upgrading at once need
        const values = rows.map((row) => {
          const next = personal.seal(row.id, { email: row.email, shippingAddress: row.shipping_address as ShippingAddress });
          return sql`(${row.id}::uuid, ${next.email_sealed}, ${next.shipping_address_sealed})`;
        });
        const result = await sql`
          update orders.orders o
          set email_sealed = v.email_sealed, shipping_address_sealed = v.shipping_address_sealed, email = null, shipping_address = null
          from (values ${sql.join(values)}) as v (id, email_sealed, shipping_address_sealed)
          where o.id = v.id and o.shipping_address is not null`.execute(k);
        sealed += Number(result.numAffectedRows ?? 0n);
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
        const changed = rows.flatMap((row) => {
          const email = row.email_sealed === null ? null : envelope.rewrap(row.email_sealed, emailAad(row.id));
          const address = envelope.rewrap(row.shipping_address_sealed!, shippingAddressAad(row.id));
          return email === row.email_sealed && address === row.shipping_address_sealed ? [] : [sql`(${row.id}::uuid, ${email}, ${address})`];
        });
        if (changed.length === 0) continue;
        await sql`
          update orders.orders o
          set email_sealed = v.email_sealed, shipping_address_sealed = v.shipping_address_sealed
          from (values ${sql.join(changed)}) as v (id, email_sealed, shipping_address_sealed)
          where o.id = v.id`.execute(k);
        rewrapped += changed.length;
      }
      return { service: 'orders.orders', scanned, rewrapped };
    },
  };
}
