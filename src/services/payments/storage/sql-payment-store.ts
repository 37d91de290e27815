import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import { enqueueEvent } from '../../../platform/bus/outbox.js';
import type { Database } from '../../../platform/db/database.js';
import type { OpenPaymentResult, Payment, PaymentStatus, PaymentStore } from './payment-store.js';

export const PAYMENTS_SCHEMA = 'payments';

interface PaymentRow {
  id: string;
  order_id: string;
  idempotency_key: string;
  amount_minor: number;
  currency: string;
  status: Generated<PaymentStatus>;
  psp_reference: string | null;
  decline_reason: string | null;
  refund_reference: string | null;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface PaymentsTables {
  'payments.payments': PaymentRow;
}

const toPayment = (row: Selectable<PaymentRow>): Payment => ({
  id: row.id,
  orderId: row.order_id,
  idempotencyKey: row.idempotency_key,
  amount: { amount: row.amount_minor, currency: row.currency },
  status: row.status,
  pspReference: row.psp_reference,
  declineReason: row.decline_reason,
  refundReference: row.refund_reference,
  attempts: row.attempts,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createSqlPaymentStore(db: Database): PaymentStore {
  const k = db.kysely as Kysely<PaymentsTables>;
  const table = 'payments.payments' as const;

  const findBy = async (column: 'id' | 'order_id', value: string) => {
    const row = await k.selectFrom(table).selectAll().where(column, '=', value).executeTakeFirst();
    return row ? toPayment(row) : null;
  };

  return {
    async open({ id, orderId, idempotencyKey, amount }): Promise<OpenPaymentResult> {
      // `on conflict do nothing` covers both unique keys: racing deliveries create one row
      await k
        .insertInto(table)
        .values({ id, order_id: orderId, idempotency_key: idempotencyKey, amount_minor: amount.amount, currency: amount.currency })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const payment = await findBy('order_id', orderId);
      return payment ? { ok: true, payment } : { ok: false, code: 'IDEMPOTENCY_KEY_TAKEN' };
    },

    findById: (id) => findBy('id', id),
    findByOrder: (orderId) => findBy('order_id', orderId),

    async countAttempt(id) {
      await k.updateTable(table).set({ attempts: sql`attempts + 1`, updated_at: sql`now()` }).where('id', '=', id).execute();
    },

    settle: (id, outcome, event) =>
      k.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable(table)
          .set(
            outcome.status === 'captured'
              ? { status: 'captured', psp_reference: outcome.pspReference, updated_at: sql`now()` }
              : { status: 'declined', decline_reason: outcome.reason, updated_at: sql`now()` },
          )
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await enqueueEvent(trx, PAYMENTS_SCHEMA, event.type, event.payload);
        return toPayment(row);
      }),

    markRefunded: (id, refundReference, event) =>
      k.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable(table)
          .set({ status: 'refunded', refund_reference: refundReference, updated_at: sql`now()` })
          .where('id', '=', id)
          .where('status', '=', 'captured')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await enqueueEvent(trx, PAYMENTS_SCHEMA, event.type, event.payload);
        return toPayment(row);
      }),
  };
}
