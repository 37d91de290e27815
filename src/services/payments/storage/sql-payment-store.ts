import { sql, type Generated, type Kysely, type Selectable, type UpdateQueryBuilder } from 'kysely';
import { outboxInsert } from '../../../platform/bus/outbox.js';
import type { Database } from '../../../platform/db/database.js';
import type { OpenPaymentResult, Payment, PaymentEvent, PaymentStatus, PaymentStore } from './payment-store.js';

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
  payment_token: string | null;
  reservation_id: string | null;
  next_attempt_at: Generated<Date>;
  lease_expires_at: Date | null;
  last_error: string | null;
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
  paymentToken: row.payment_token,
  reservationId: row.reservation_id,
  nextAttemptAt: new Date(row.next_attempt_at),
  leaseExpiresAt: row.lease_expires_at ? new Date(row.lease_expires_at) : null,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createSqlPaymentStore(db: Database): PaymentStore {
  const k = db.kysely as Kysely<PaymentsTables>;
  const table = 'payments.payments' as const;
  // pending payments whose retry time has come and that no worker holds: locked rows are skipped,
  // so concurrent workers (claiming, or deferring while the PSP circuit is open) never take the same one
  const dueUnleased = (now: Date, limit: number) =>
    k
      .selectFrom(table)
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();

  const findBy = async (column: 'id' | 'order_id', value: string) => {
    const row = await k.selectFrom(table).selectAll().where(column, '=', value).executeTakeFirst();
    return row ? toPayment(row) : null;
  };

  // A status move and its event in one statement (on PostgreSQL a statement is a round trip; with BEGIN and
  // COMMIT this was four): the event is stored only when the guarded update moved the row, so a payment a
  // concurrent delivery settled first writes nothing, as the transaction's early return did.
  const moveWithEvent = async (move: UpdateQueryBuilder<PaymentsTables, typeof table, typeof table, object>, event: PaymentEvent) => {
    const { insert } = outboxInsert(PAYMENTS_SCHEMA, event.type, event.payload, sql<boolean>`exists (select 1 from moved)`);
    const { rows } = await sql<Selectable<PaymentRow>>`with moved as (${move.returningAll()}), announced as (${insert}) select * from moved`.execute(k);
    return rows[0] ? toPayment(rows[0]) : null;
  };

  return {
    async open({ id, orderId, idempotencyKey, amount, paymentToken = null, reservationId = null }): Promise<OpenPaymentResult> {
      // `on conflict do nothing` covers both unique keys: racing deliveries create one row
      const inserted = await k
        .insertInto(table)
        .values({ id, order_id: orderId, idempotency_key: idempotencyKey, amount_minor: amount.amount, currency: amount.currency, payment_token: paymentToken, reservation_id: reservationId })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { ok: true, payment: toPayment(inserted) };
      if (paymentToken || reservationId) {
        // a payment opened before the worker existed learns what the worker needs to charge it
        await k
          .updateTable(table)
          .set({ payment_token: sql`coalesce(payment_token, ${paymentToken})`, reservation_id: sql`coalesce(reservation_id, ${reservationId})` })
          .where('order_id', '=', orderId)
          .where((eb) => eb.or([eb('payment_token', 'is', null), eb('reservation_id', 'is', null)]))
          .execute();
      }
      const payment = await findBy('order_id', orderId);
      return payment ? { ok: true, payment } : { ok: false, code: 'IDEMPOTENCY_KEY_TAKEN' };
    },

    findById: (id) => findBy('id', id),
    findByOrder: (orderId) => findBy('order_id', orderId),

    async countAttempt(id) {
      await k.updateTable(table).set({ attempts: sql`attempts + 1`, updated_at: sql`now()` }).where('id', '=', id).execute();
    },

    async claimDue(now, limit, leaseMs) {
      const rows = await k
        .updateTable(table)
        .set({ lease_expires_at: new Date(now.getTime() + leaseMs), updated_at: sql`now()` })
        .where('id', 'in', dueUnleased(now, limit))
        .returningAll()
        .execute();
      return rows.map(toPayment).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    },

    async reschedule(id, { at, error }) {
      const result = await k
        .updateTable(table)
        .set({ next_attempt_at: at, lease_expires_at: null, ...(error === undefined ? {} : { last_error: error.slice(0, 500) }), updated_at: sql`now()` })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deferDue(now, until, limit) {
      const rows = await k
        .updateTable(table)
        .set({ next_attempt_at: until, updated_at: sql`now()` })
        .where('id', 'in', dueUnleased(now, limit))
        .returningAll()
        .execute();
      return rows.map(toPayment);
    },

    async countPending(now) {
      const { rows } = await sql<{ queued: number; retrying: number; in_flight: number }>`
        select count(*) filter (where leased is not true and attempts = 0)::int as queued,
               count(*) filter (where leased is not true and attempts > 0)::int as retrying,
               count(*) filter (where leased)::int as in_flight
        from (select attempts, lease_expires_at > ${now} as leased from payments.payments where status = 'pending') p`.execute(k);
      const row = rows[0];
      return { queued: row?.queued ?? 0, retrying: row?.retrying ?? 0, inFlight: row?.in_flight ?? 0 };
    },

    settle: (id, outcome, event) =>
      moveWithEvent(
        k
          .updateTable(table)
          .set(
            outcome.status === 'captured'
              ? { status: 'captured', psp_reference: outcome.pspReference, lease_expires_at: null, updated_at: sql`now()` }
              : { status: 'declined', decline_reason: outcome.reason, lease_expires_at: null, updated_at: sql`now()` },
          )
          .where('id', '=', id)
          .where('status', '=', 'pending'),
        event,
      ),

    markRefunded: (id, refundReference, event) =>
      moveWithEvent(
        k.updateTable(table).set({ status: 'refunded', refund_reference: refundReference, updated_at: sql`now()` }).where('id', '=', id).where('status', '=', 'captured'),
        event,
      ),
  };
}
