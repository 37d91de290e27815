import { newId } from '../../../platform/ids.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { isUuid } from '../../../platform/ids.js';
import type { OrdersDb, OrdersTables } from '../storage/orders-tables.js';
import type { AbandonedCheckout, BeginResult, IdempotencyClaim, IdempotencyStore, SavedResponse } from './idempotency-store.js';

const TABLE = 'orders.idempotency_keys' as const;

/** A key inserted and released between our insert and our read is simply tried again. */
const MAX_ROUNDS = 5;

/**
 * Saves the response under the claim, if the claim is still ours. Exported so the order store can
 * run it inside the transaction that creates the order: the order and its saved 202 commit together.
 */
export async function completeIdempotencyKey(db: OrdersDb, claim: IdempotencyClaim, response: SavedResponse): Promise<boolean> {
  const result = await completion(db, claim, response).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** the UPDATE that completes a claim (one row when the claim still holds, none when it was taken over), not run */
export const completion = (db: OrdersDb, claim: IdempotencyClaim, response: SavedResponse) =>
  db
    .updateTable(TABLE)
    .set({ state: 'completed', response_status: response.status, response_body: JSON.stringify(response.body ?? null) })
    .where('customer_id', '=', claim.customerId)
    .where('key', '=', claim.key)
    .where('state', '=', 'in_progress')
    // the fencing token: a claim taken over after its lock lapsed no longer matches
    .where('locked_until', '=', claim.lockedUntil);

export function createSqlIdempotencyStore(db: Database): IdempotencyStore {
  const k = db.kysely as Kysely<OrdersTables>;

  // an order commits with its claim's completion, so an in-progress claim has none; checked anyway,
  // since reopening the cart of an order that exists would let it be sold twice
  const noOrderOfTheClaim = () =>
    sql<boolean>`not exists (select 1 from orders.orders o where o.id = ${sql.ref(`${TABLE}.order_id`)})`;

  const begin = async ({ scope, requestHash, now, lockMs, cartId }: Parameters<IdempotencyStore['begin']>[0]): Promise<BeginResult> => {
    // lock times come from one clock (the caller's) at millisecond precision, so they compare exactly
    const lockedUntil = new Date(now.getTime() + lockMs);
    // anything else cannot name a cart, so there is nothing to give back for it
    const cart = cartId && isUuid(cartId) ? cartId : null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const orderId = newId();
      const inserted = await k
        .insertInto(TABLE)
        .values({ customer_id: scope.customerId, key: scope.key, request_hash: requestHash, state: 'in_progress', locked_until: lockedUntil, order_id: orderId, cart_id: cart })
        .onConflict((oc) => oc.columns(['customer_id', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) return { outcome: 'started', claim: { ...scope, lockedUntil, orderId } };

      const row = await k
        .selectFrom(TABLE)
        .select(['request_hash', 'state', 'response_status', 'response_body', 'locked_until', 'order_id', 'cart_id'])
        .where('customer_id', '=', scope.customerId)
        .where('key', '=', scope.key)
        .executeTakeFirst();
      if (!row) continue;
      if (row.request_hash !== requestHash) return { outcome: 'mismatch' };
      if (row.state === 'completed') return { outcome: 'completed', response: { status: row.response_status ?? 500, body: row.response_body } };
      if (row.locked_until.getTime() > now.getTime()) return { outcome: 'in_progress' };

      // the holder's lock lapsed (it crashed or hung): take the claim over, fenced on the old lock,
      // and carry on with its order, whose cart and stock it may already have claimed
      const resumed = row.order_id ?? orderId;
      const taken = await k
        .updateTable(TABLE)
        .set({ locked_until: lockedUntil, order_id: resumed, cart_id: row.cart_id ?? cart })
        .where('customer_id', '=', scope.customerId)
        .where('key', '=', scope.key)
        .where('state', '=', 'in_progress')
        .where('locked_until', '=', row.locked_until)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { outcome: 'started', claim: { ...scope, lockedUntil, orderId: resumed } };
    }
    return { outcome: 'in_progress' };
  };

  return {
    begin,
    complete: (claim, response) => completeIdempotencyKey(k, claim, response),
    async release(claim) {
      await k
        .deleteFrom(TABLE)
        .where('customer_id', '=', claim.customerId)
        .where('key', '=', claim.key)
        .where('state', '=', 'in_progress')
        .where('locked_until', '=', claim.lockedUntil)
        .execute();
    },
    async deleteCompletedBefore(cutoff) {
      const result = await k.deleteFrom(TABLE).where('state', '=', 'completed').where('created_at', '<', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async findAbandoned({ lockedBefore, limit }) {
      const rows = await k
        .selectFrom(TABLE)
        .select(['customer_id', 'key', 'locked_until', 'order_id', 'cart_id'])
        .where('state', '=', 'in_progress')
        .where('locked_until', '<', lockedBefore)
        .where(noOrderOfTheClaim)
        .orderBy('locked_until')
        .limit(limit)
        .execute();
      return rows.map((r): AbandonedCheckout => ({ customerId: r.customer_id, key: r.key, lockedUntil: r.locked_until, orderId: r.order_id, cartId: r.cart_id }));
    },
    async seizeAbandoned(abandoned, until) {
      const seized = await k
        .updateTable(TABLE)
        .set({ locked_until: until })
        .where('customer_id', '=', abandoned.customerId)
        .where('key', '=', abandoned.key)
        .where('state', '=', 'in_progress')
        // the fencing token: a retry that took the claim over, or another sweeper, moved it
        .where('locked_until', '=', abandoned.lockedUntil)
        .where(noOrderOfTheClaim)
        .executeTakeFirst();
      return Number(seized.numUpdatedRows) === 1;
    },
  };
}
