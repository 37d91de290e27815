import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import type { CartRecord } from './cart-store.js';

/** A whole cart at one version of the working copy. */
export interface CartSnapshot {
  cart: CartRecord;
  version: number;
}

/**
 * Whole carts in and out of PostgreSQL for the write-back store: `load` fills the working copy, `save` writes
 * changed carts back. Creating carts stays with the SQL store (its per-owner lock keeps the open-cart cap).
 */
export interface CartSnapshots {
  /** the cart and its version, whoever owns it; null when there is none */
  load(cartId: string): Promise<CartSnapshot | null>;
  /**
   * One transaction for the batch: each cart row is replaced only by a newer version (never an older one over a
   * newer), and its lines become the snapshot's lines. Answers how many carts were written (older ones are skipped).
   */
  save(snapshots: CartSnapshot[]): Promise<number>;
}

const iso = (d: Date) => d.toISOString();

export function createSqlCartSnapshots(db: Database): CartSnapshots {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.kysely as Kysely<any>;

  return {
    async load(cartId) {
      const cart = await sql<{ id: string; owner_id: string; status: 'open' | 'checked_out'; order_id: string | null; currency: string | null; created_at: Date; updated_at: Date; version: number }>`
        select id, owner_id, status, order_id, currency, created_at, updated_at, version from carts.carts where id = ${cartId}`.execute(k);
      const row = cart.rows[0];
      if (!row) return null;
      const items = await sql<{ id: string; variant_id: string; quantity: number; added_at: Date }>`
        select id, variant_id, quantity, added_at from carts.items where cart_id = ${cartId} order by added_at, id`.execute(k);
      return {
        version: Number(row.version),
        cart: {
          id: row.id,
          ownerId: row.owner_id,
          status: row.status,
          orderId: row.order_id,
          currency: row.currency?.trim() ?? null,
          createdAt: new Date(row.created_at),
          updatedAt: new Date(row.updated_at),
          items: items.rows.map((i) => ({ id: i.id, variantId: i.variant_id, quantity: i.quantity, addedAt: new Date(i.added_at) })),
        },
      };
    },

    async save(snapshots) {
      if (snapshots.length === 0) return 0;
      // one order for every flusher: two batches that share carts lock them in the same order and cannot deadlock
      const sorted = [...snapshots].sort((a, b) => (a.cart.id < b.cart.id ? -1 : a.cart.id > b.cart.id ? 1 : 0));
      // ids as a uuid[] literal (each id went through isUuid before it reached a working copy): the planner sees how
      // few they are and takes the primary key, where a jsonb set (estimated at 100 rows) made it scan whole tables
      const ids = `{${sorted.map((s) => s.cart.id).join(',')}}`;
      const carts = JSON.stringify(
        sorted.map(({ cart, version }) => ({ id: cart.id, status: cart.status, order_id: cart.orderId, currency: cart.currency, updated_at: iso(cart.updatedAt), version })),
      );
      const lines = sorted.flatMap(({ cart }) => cart.items.map((i) => ({ id: i.id, cart_id: cart.id, variant_id: i.variantId, quantity: i.quantity, added_at: iso(i.addedAt) })));
      const lineIds = `{${lines.map((l) => l.id).join(',')}}`;
      // One statement: the version guard (a flush that lost a race to a newer one writes nothing, lines included),
      // then the lines. The lines a snapshot no longer has are deleted before the others are written (the insert
      // waits for the delete's count), so a variant removed and added again (a new line id) fits its unique key.
      // A snapshot carries every line and a change touches one: the lines whose quantity is unchanged are left out
      // before the insert, so they keep their row version and are not even locked (an upsert's conflict check locks
      // the row it finds, WHERE or not: a WAL record per line), where rewriting them all made a five-line cart's add
      // five row updates. Nobody else changes them meanwhile: the cart rows are locked first (below). The lines a
      // snapshot no longer has are found by a hashed anti-join on the batch's line ids: `<> all(array)` compared every
      // row with every id, quadratic in the batch.
      // On PGlite, where every statement costs ~0.2 ms of the one core's JavaScript and WebAssembly, this is the
      // whole flush; it was five statements.
      const replace = sql<{ written: number }>`
        with s as (
          select * from jsonb_to_recordset(${carts}::jsonb) as s(id uuid, status text, order_id uuid, currency text, updated_at timestamptz, version bigint)
        ), written as (
          update carts.carts c
             set status = s.status, order_id = s.order_id, currency = s.currency, updated_at = s.updated_at, version = s.version
            from s
           where c.id = any(${ids}::uuid[]) and c.id = s.id and c.version < s.version
       returning c.id
        ), gone as (
          delete from carts.items
           where cart_id = any(${ids}::uuid[]) and cart_id in (select id from written) and id not in (select unnest(${lineIds}::uuid[]))
       returning 1
        ), lines as (
          insert into carts.items as i (id, cart_id, variant_id, quantity, added_at)
          select l.id, l.cart_id, l.variant_id, l.quantity, l.added_at
            from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as l(id uuid, cart_id uuid, variant_id uuid, quantity integer, added_at timestamptz)
           where l.cart_id in (select id from written) and (select count(*) from gone) >= 0
             and not exists (select 1 from carts.items e where e.id = l.id and e.quantity = l.quantity)
          on conflict (id) do update set quantity = excluded.quantity where i.quantity <> excluded.quantity
        )
        select count(*)::int as written from written`;
      // PGlite has one connection: a statement is alone and atomic, nobody else's can land between its parts
      if (db.kind === 'pglite') return (await replace.execute(k)).rows[0]?.written ?? 0;
      return k.transaction().execute(async (trx) => {
        // READ COMMITTED: a flusher that waited for another's row locks must see the lines that one committed, so
        // the locks are taken by a statement of their own before the one that reads the lines
        await sql`select id from carts.carts where id = any(${ids}::uuid[]) order by id for update`.execute(trx);
        return (await replace.execute(trx)).rows[0]?.written ?? 0;
      });
    },
  };
}
