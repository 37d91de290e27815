import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../../test/support/databases.js';
import { cartsMigrations } from '../index.js';
import type { CartItemRecord, CartRecord } from './cart-store.js';
import { createSqlCartSnapshots, type CartSnapshots } from './sql-cart-snapshots.js';
import { createSqlCartStore } from './sql-cart-store.js';

// The write-back's whole-cart writes on both engines: PGlite does one statement, PostgreSQL locks first.
for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`${adapter.name}: cart snapshots`, () => {
    let tdb: TestDatabase;
    let snapshots: CartSnapshots;
    beforeAll(async () => {
      tdb = await adapter.create([cartsMigrations]);
      snapshots = createSqlCartSnapshots(tdb.db);
    });
    afterAll(() => tdb?.dispose());

    const newCart = async (): Promise<CartRecord> => createSqlCartStore(tdb.db).create({ id: uuidv7(), ownerId: uuidv7(), currency: null });
    const line = (variantId: string, quantity: number, addedAt = new Date()): CartItemRecord => ({ id: uuidv7(), variantId, quantity, addedAt });
    const lines = async (cartId: string) => (await snapshots.load(cartId))!.cart.items.map((i) => [i.id, i.variantId, i.quantity]);

    it('when a newer snapshot drops a line, changes one and adds the removed variant again under a new line, then PostgreSQL holds exactly its lines', async () => {
      const cart = await newCart();
      const [v1, v2, v3] = [uuidv7(), uuidv7(), uuidv7()];
      const first = [line(v1, 1), line(v2, 2), line(v3, 3)];
      expect(await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: first }, version: 1 }])).toBe(1);
      expect(await lines(cart.id)).toEqual(first.map((i) => [i.id, i.variantId, i.quantity]));

      // v1's line is removed and the variant added again (a new id, the same unique (cart, variant) key), v2 grows, v3 goes
      const again = line(v1, 5, new Date(Date.now() + 1_000));
      const second = [{ ...first[1]!, quantity: 7 }, again];
      expect(await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: second }, version: 2 }])).toBe(1);
      expect(await lines(cart.id)).toEqual([[first[1]!.id, v2, 7], [again.id, v1, 5]]);
      const loaded = await snapshots.load(cart.id);
      expect(loaded).toMatchObject({ version: 2, cart: { currency: 'EUR', status: 'open' } });

      // emptied
      expect(await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: [] }, version: 3 }])).toBe(1);
      expect(await lines(cart.id)).toEqual([]);
    });

    it('when a newer snapshot changes one line of three, then only that line gets a new row version: the unchanged lines are neither rewritten nor locked', async () => {
      const cart = await newCart();
      const first = [line(uuidv7(), 1), line(uuidv7(), 2), line(uuidv7(), 3)];
      await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: first }, version: 1 }]);
      // xmin: the transaction that wrote the row's current version; xmax: one that locked (or deleted) it since, else 0
      const versions = async () =>
        new Map((await sql<{ id: string; xmin: string; xmax: string }>`select id, xmin::text as xmin, xmax::text as xmax from carts.items where cart_id = ${cart.id}`.execute(tdb.db.kysely)).rows.map((r) => [r.id, r]));
      const before = await versions();

      expect(await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: [first[0]!, { ...first[1]!, quantity: 9 }, first[2]!] }, version: 2 }])).toBe(1);
      const after = await versions();
      for (const unchanged of [first[0]!, first[2]!]) {
        expect(after.get(unchanged.id)?.xmin).toBe(before.get(unchanged.id)?.xmin);
        // an upsert's conflict check locks the row it finds even when its WHERE then skips the update
        expect(after.get(unchanged.id)?.xmax).toBe('0');
      }
      expect(after.get(first[1]!.id)?.xmin).not.toBe(before.get(first[1]!.id)?.xmin);
      expect(await lines(cart.id)).toEqual([[first[0]!.id, first[0]!.variantId, 1], [first[1]!.id, first[1]!.variantId, 9], [first[2]!.id, first[2]!.variantId, 3]]);
    });

    it('when a batch holds an older snapshot of one cart, then that cart and its lines are left as they are and the others are written', async () => {
      const [a, b, c] = [await newCart(), await newCart(), await newCart()];
      const v = uuidv7();
      for (const cart of [a, b, c]) await snapshots.save([{ cart: { ...cart, currency: 'EUR', items: [line(v, 2)] }, version: 5 }]);
      const before = await lines(b.id);

      const written = await snapshots.save([
        { cart: { ...a, currency: 'EUR', items: [line(v, 3)] }, version: 6 },
        { cart: { ...b, currency: 'EUR', items: [] }, version: 4 }, // older than what PostgreSQL has
        { cart: { ...c, status: 'checked_out', orderId: uuidv7(), currency: 'EUR', items: [line(v, 4)] }, version: 6 },
      ]);

      expect(written).toBe(2);
      expect((await lines(a.id)).map((l) => l[2])).toEqual([3]);
      expect(await lines(b.id)).toEqual(before);
      expect((await snapshots.load(b.id))!.version).toBe(5);
      expect(await snapshots.load(c.id)).toMatchObject({ version: 6, cart: { status: 'checked_out', items: [{ quantity: 4 }] } });
    });

    it('when 8 flushes of different versions of one cart race (5 rounds), then PostgreSQL ends with the newest version and exactly its lines', async () => {
      for (let round = 0; round < 5; round++) {
        const cart = await newCart();
        const variants = Array.from({ length: 8 }, () => uuidv7());
        // version n holds n lines, each a new line id, so any mix of two versions' lines would show
        const versions = Array.from({ length: 8 }, (_, n) => ({ cart: { ...cart, currency: 'EUR', items: variants.slice(0, n + 1).map((vid) => line(vid, n + 1)) }, version: n + 1 }));
        const shuffled = [...versions].sort(() => Math.random() - 0.5);
        const written = await Promise.all(shuffled.map((s) => snapshots.save([s])));

        expect(written.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
        expect((await snapshots.load(cart.id))!.version).toBe(8);
        expect(await lines(cart.id)).toEqual(versions[7]!.cart.items.map((i) => [i.id, i.variantId, i.quantity]));
      }
    });
  });
}
