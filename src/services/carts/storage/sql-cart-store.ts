import { sql, type Generated, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { isUuid } from '../../../platform/ids.js';
import { CART_LIMITS } from '../cart-limits.js';
import type { CartChangeFailure, CartChangeResult, CartRecord, CartStore } from './cart-store.js';

export const CARTS_SCHEMA = 'carts';
// the first half of the two-key advisory lock on an owner's carts; only has to differ from other advisory locks
const OPEN_CARTS_LOCK_KEY = 0x63617274;

interface CartRow {
  id: string;
  owner_id: string;
  status: Generated<'open' | 'checked_out'>;
  order_id: string | null;
  currency: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
interface ItemRow {
  id: string;
  cart_id: string;
  variant_id: string;
  quantity: number;
  added_at: Generated<Date>;
}
interface CartsTables {
  'carts.carts': CartRow;
  'carts.items': ItemRow;
}

type Db = Kysely<CartsTables> | Transaction<CartsTables>;

/** Rolls a change back with its business reason. */
class Refused extends Error {
  constructor(readonly code: CartChangeFailure) {
    super(code);
  }
}

export function createSqlCartStore(db: Database): CartStore {
  const k = db.kysely as Kysely<CartsTables>;

  /** a cart row as the store answers it; `items` in the order they were added */
  const record = (cart: Selectable<CartRow>, items: CartRecord['items']): CartRecord => ({
    id: cart.id,
    ownerId: cart.owner_id,
    status: cart.status,
    orderId: cart.order_id,
    // char(3) pads; currencies are three letters anyway, trim guards the comparison
    currency: cart.currency?.trim() ?? null,
    createdAt: cart.created_at,
    updatedAt: cart.updated_at,
    items,
  });

  const read = async (q: Db, cartId: string, ownerId: string): Promise<CartRecord | null> => {
    if (!isUuid(cartId) || !isUuid(ownerId)) return null;
    const cart = await q.selectFrom('carts.carts').selectAll().where('id', '=', cartId).where('owner_id', '=', ownerId).executeTakeFirst();
    if (!cart) return null;
    const items = await q
      .selectFrom('carts.items')
      .select(['id', 'variant_id', 'quantity', 'added_at'])
      .where('cart_id', '=', cartId)
      .orderBy('added_at')
      .orderBy('id')
      .execute();
    return record(cart, items.map((i) => ({ id: i.id, variantId: i.variant_id, quantity: i.quantity, addedAt: i.added_at })));
  };

  /**
   * Locks the owner's open cart, runs the change, touches updated_at and answers the cart as it is now.
   * The lock makes the line count, the currency and the open status hold for the whole change.
   */
  const change = async (cartId: string, ownerId: string, apply: (trx: Transaction<CartsTables>, currency: string | null) => Promise<void>): Promise<CartChangeResult> => {
    if (!isUuid(cartId) || !isUuid(ownerId)) return { ok: false, code: 'CART_NOT_FOUND' };
    try {
      return await k.transaction().execute(async (trx) => {
        const cart = await trx
          .selectFrom('carts.carts')
          .select(['status', 'currency'])
          .where('id', '=', cartId)
          .where('owner_id', '=', ownerId)
          .forUpdate()
          .executeTakeFirst();
        if (!cart) throw new Refused('CART_NOT_FOUND');
        if (cart.status !== 'open') throw new Refused('CART_CHECKED_OUT');
        await apply(trx, cart.currency?.trim() ?? null);
        await trx.updateTable('carts.carts').set({ updated_at: sql<Date>`now()` }).where('id', '=', cartId).execute();
        return { ok: true as const, cart: (await read(trx, cartId, ownerId))! };
      });
    } catch (err) {
      if (err instanceof Refused) return { ok: false, code: err.code };
      throw err;
    }
  };

  return {
    // a new cart has no lines: the inserted row is the whole answer, no read after it
    async create({ id, ownerId, currency }) {
      return record(await k.insertInto('carts.carts').values({ id, owner_id: ownerId, currency }).returningAll().executeTakeFirstOrThrow(), []);
    },

    async createWithinLimit({ id, ownerId, currency, maxOpen }) {
      return k.transaction().execute(async (trx) => {
        // one owner's creates take turns (a transaction-scoped lock on the owner), so two cannot both see room.
        // The count must be a statement after the lock's: a statement sees the rows committed when it began, and
        // one begun before the lock was granted would miss the cart of the create it waited for
        await sql`select pg_advisory_xact_lock(${OPEN_CARTS_LOCK_KEY}, hashtext(${ownerId}))`.execute(trx);
        // counted and inserted by one statement: no row when the owner has no room
        const { rows } = await sql<Selectable<CartRow>>`
          insert into carts.carts (id, owner_id, currency)
          select ${id}::uuid, ${ownerId}::uuid, ${currency}::char(3)
          where (select count(*) from carts.carts where owner_id = ${ownerId}::uuid and status = 'open') < ${maxOpen}
          returning *`.execute(trx);
        const row = rows[0];
        return row ? record(row, []) : null;
      });
    },

    findForOwner: (cartId, ownerId) => read(k, cartId, ownerId),

    addItem: ({ cartId, ownerId, itemId, variantId, quantity, currency }) =>
      change(cartId, ownerId, async (trx, cartCurrency) => {
        if (cartCurrency && cartCurrency !== currency) throw new Refused('CURRENCY_MISMATCH');
        if (!cartCurrency) await trx.updateTable('carts.carts').set({ currency }).where('id', '=', cartId).execute();
        const existing = await trx.selectFrom('carts.items').select('quantity').where('cart_id', '=', cartId).where('variant_id', '=', variantId).executeTakeFirst();
        if (existing) {
          if (existing.quantity + quantity > CART_LIMITS.maxQuantity) throw new Refused('QUANTITY_LIMIT');
          await trx.updateTable('carts.items').set({ quantity: existing.quantity + quantity }).where('cart_id', '=', cartId).where('variant_id', '=', variantId).execute();
          return;
        }
        if (quantity > CART_LIMITS.maxQuantity) throw new Refused('QUANTITY_LIMIT');
        const { lines } = await trx.selectFrom('carts.items').select((eb) => eb.fn.countAll<number>().as('lines')).where('cart_id', '=', cartId).executeTakeFirstOrThrow();
        if (Number(lines) >= CART_LIMITS.maxLines) throw new Refused('LINE_LIMIT');
        await trx.insertInto('carts.items').values({ id: itemId, cart_id: cartId, variant_id: variantId, quantity }).execute();
      }),

    setItemQuantity: ({ cartId, ownerId, itemId, quantity }) =>
      change(cartId, ownerId, async (trx) => {
        if (!isUuid(itemId)) throw new Refused('ITEM_NOT_FOUND');
        if (quantity < 1 || quantity > CART_LIMITS.maxQuantity) throw new Refused('QUANTITY_LIMIT');
        const updated = await trx.updateTable('carts.items').set({ quantity }).where('id', '=', itemId).where('cart_id', '=', cartId).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Refused('ITEM_NOT_FOUND');
      }),

    removeItem: ({ cartId, ownerId, itemId }) =>
      change(cartId, ownerId, async (trx) => {
        if (!isUuid(itemId)) throw new Refused('ITEM_NOT_FOUND');
        const deleted = await trx.deleteFrom('carts.items').where('id', '=', itemId).where('cart_id', '=', cartId).executeTakeFirst();
        if (Number(deleted.numDeletedRows) !== 1) throw new Refused('ITEM_NOT_FOUND');
      }),

    async markCheckedOut(cartId, orderId) {
      if (!isUuid(cartId) || !isUuid(orderId)) return false;
      // the conditional update is the claim: of two checkouts racing, exactly one changes the row
      const claimed = await k
        .updateTable('carts.carts')
        .set({ status: 'checked_out', order_id: orderId, updated_at: sql<Date>`now()` })
        .where('id', '=', cartId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 1) return true;
      const holder = await k.selectFrom('carts.carts').select('order_id').where('id', '=', cartId).executeTakeFirst();
      return holder?.order_id === orderId;
    },

    async reopen(cartId, orderId) {
      if (!isUuid(cartId) || !isUuid(orderId)) return;
      await k
        .updateTable('carts.carts')
        .set({ status: 'open', order_id: null, updated_at: sql<Date>`now()` })
        .where('id', '=', cartId)
        .where('status', '=', 'checked_out')
        .where('order_id', '=', orderId)
        .execute();
    },
  };
}
