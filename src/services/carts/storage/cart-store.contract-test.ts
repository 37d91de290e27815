import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartStore } from './cart-store.js';

export interface CartStoreFixture {
  store: CartStore;
  dispose(): Promise<void>;
}

/** One suite for the cart store on every engine; tests share a database, never a cart. */
export function cartStoreContract(name: string, make: () => Promise<CartStoreFixture>) {
  describe(`${name} cart store`, () => {
    let fx: CartStoreFixture;
    let store: CartStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(() => fx?.dispose());

    const newCart = async (currency: string | null = null) => {
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency });
      return { cartId: cart.id, ownerId };
    };
    const add = (c: { cartId: string; ownerId: string }, variantId: string, quantity: number, currency = 'USD') =>
      store.addItem({ ...c, itemId: uuidv7(), variantId, quantity, currency });
    const itemsOf = async (c: { cartId: string; ownerId: string }) => (await store.findForOwner(c.cartId, c.ownerId))!.items;

    it('when a cart is created, then its owner finds it open and empty, and nobody else finds it', async () => {
      const c = await newCart('EUR');
      expect(await store.findForOwner(c.cartId, c.ownerId)).toMatchObject({ id: c.cartId, ownerId: c.ownerId, status: 'open', orderId: null, currency: 'EUR', items: [] });
      expect(await store.findForOwner(c.cartId, uuidv7())).toBeNull();
      expect(await store.findForOwner(uuidv7(), c.ownerId)).toBeNull();
      expect(await store.findForOwner('not-a-uuid', 'nor-this')).toBeNull();
    });

    it('when a cart is created, with or without the open-cart cap, then the cart answered is the one a read finds', async () => {
      for (const currency of ['EUR', null]) {
        const ownerId = uuidv7();
        const made = [await store.create({ id: uuidv7(), ownerId, currency }), await store.createWithinLimit({ id: uuidv7(), ownerId, currency, maxOpen: 5 })];
        for (const cart of made) {
          expect(cart).toMatchObject({ ownerId, status: 'open', orderId: null, currency, items: [] });
          expect(cart!.createdAt).toBeInstanceOf(Date);
          expect(await store.findForOwner(cart!.id, ownerId)).toEqual(cart);
        }
      }
    });

    it('when a variant is added twice, then it is one line with the summed quantity and the currency is fixed', async () => {
      const c = await newCart();
      const variantId = uuidv7();
      const first = await add(c, variantId, 2);
      expect(first).toMatchObject({ ok: true, cart: { currency: 'USD', items: [{ variantId, quantity: 2 }] } });
      const again = await add(c, variantId, 3);
      expect(again.ok && again.cart.items).toEqual([expect.objectContaining({ variantId, quantity: 5 })]);
      expect(await add(c, uuidv7(), 1, 'EUR')).toEqual({ ok: false, code: 'CURRENCY_MISMATCH' });
    });

    it('when a line would pass 99 units, then the add is refused and the line is unchanged', async () => {
      const c = await newCart();
      const variantId = uuidv7();
      await add(c, variantId, 98);
      expect(await add(c, variantId, 2)).toEqual({ ok: false, code: 'QUANTITY_LIMIT' });
      expect(await add(c, uuidv7(), 100)).toEqual({ ok: false, code: 'QUANTITY_LIMIT' });
      expect(await itemsOf(c)).toEqual([expect.objectContaining({ variantId, quantity: 98 })]);
    });

    it('when a cart has 50 lines, then a new variant is refused but an existing line still grows', async () => {
      const c = await newCart();
      const variants = Array.from({ length: 50 }, () => uuidv7());
      for (const v of variants) await add(c, v, 1);
      expect(await add(c, uuidv7(), 1)).toEqual({ ok: false, code: 'LINE_LIMIT' });
      expect(await add(c, variants[0]!, 1)).toMatchObject({ ok: true });
      expect(await itemsOf(c)).toHaveLength(50);
    });

    it('when a line quantity is set or the line removed, then only that cart’s line changes', async () => {
      const c = await newCart();
      const other = await newCart();
      const added = await add(c, uuidv7(), 1);
      const otherAdded = await add(other, uuidv7(), 1);
      if (!added.ok || !otherAdded.ok) throw new Error('expected lines');
      const itemId = added.cart.items[0]!.id;
      expect(await store.setItemQuantity({ ...c, itemId, quantity: 7 })).toMatchObject({ ok: true, cart: { items: [{ id: itemId, quantity: 7 }] } });
      for (const quantity of [0, 100]) expect(await store.setItemQuantity({ ...c, itemId, quantity })).toEqual({ ok: false, code: 'QUANTITY_LIMIT' });
      const foreignItem = otherAdded.cart.items[0]!.id;
      expect(await store.setItemQuantity({ ...c, itemId: foreignItem, quantity: 3 })).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
      expect(await store.removeItem({ ...c, itemId: foreignItem })).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
      expect(await store.removeItem({ ...c, itemId: 'junk' })).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
      expect(await store.removeItem({ ...c, itemId })).toMatchObject({ ok: true, cart: { items: [] } });
      expect(await store.removeItem({ ...c, itemId })).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
      expect(await itemsOf(other)).toEqual([expect.objectContaining({ id: foreignItem, quantity: 1 })]);
    });

    it('when another owner changes a cart, then it is not found and nothing is written', async () => {
      const c = await newCart();
      const added = await add(c, uuidv7(), 2);
      if (!added.ok) throw new Error('expected a line');
      const itemId = added.cart.items[0]!.id;
      const stranger = { cartId: c.cartId, ownerId: uuidv7() };
      expect(await add(stranger, uuidv7(), 1)).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
      expect(await store.setItemQuantity({ ...stranger, itemId, quantity: 9 })).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
      expect(await store.removeItem({ ...stranger, itemId })).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
      expect(await itemsOf(c)).toEqual([expect.objectContaining({ id: itemId, quantity: 2 })]);
    });

    it('when a cart is checked out, then it is read-only, claimed by one order, and reopened only by that order', async () => {
      const c = await newCart();
      await add(c, uuidv7(), 1);
      const [orderId, otherOrder] = [uuidv7(), uuidv7()];
      expect(await store.markCheckedOut(c.cartId, orderId)).toBe(true);
      expect(await store.markCheckedOut(c.cartId, orderId)).toBe(true);
      expect(await store.markCheckedOut(c.cartId, otherOrder)).toBe(false);
      expect(await add(c, uuidv7(), 1)).toEqual({ ok: false, code: 'CART_CHECKED_OUT' });
      await store.reopen(c.cartId, otherOrder);
      expect(await store.findForOwner(c.cartId, c.ownerId)).toMatchObject({ status: 'checked_out', orderId });
      await store.reopen(c.cartId, orderId);
      expect(await store.findForOwner(c.cartId, c.ownerId)).toMatchObject({ status: 'open', orderId: null });
      expect(await add(c, uuidv7(), 1)).toMatchObject({ ok: true });
      expect(await store.markCheckedOut(uuidv7(), orderId)).toBe(false);
      expect(await store.markCheckedOut('junk', orderId)).toBe(false);
    });

    it('when a cart is checked out, then its owner still reads it, lines and all, with the order that claimed it, so that order can resume its checkout', async () => {
      const c = await newCart();
      const variantId = uuidv7();
      await add(c, variantId, 3);
      const orderId = uuidv7();
      expect(await store.markCheckedOut(c.cartId, orderId)).toBe(true);
      expect(await store.findForOwner(c.cartId, c.ownerId)).toMatchObject({ id: c.cartId, status: 'checked_out', orderId, items: [{ variantId, quantity: 3 }] });
      expect(await store.findForOwner(c.cartId, uuidv7())).toBeNull();
      // resuming claims it again for the same order, without touching the lines
      expect(await store.markCheckedOut(c.cartId, orderId)).toBe(true);
      expect(await itemsOf(c)).toEqual([expect.objectContaining({ variantId, quantity: 3 })]);
    });

    describe('under concurrency', () => {
      it('when 20 orders race to check out one cart, then exactly one claims it', async () => {
        const c = await newCart();
        await add(c, uuidv7(), 1);
        const orders = Array.from({ length: 20 }, () => uuidv7());
        const results = await Promise.all(orders.map((o) => store.markCheckedOut(c.cartId, o)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = orders[results.indexOf(true)];
        expect(await store.findForOwner(c.cartId, c.ownerId)).toMatchObject({ status: 'checked_out', orderId: winner });
      });

      it('when 30 adds of one variant race, then the line never passes 99 units and counts every success', async () => {
        const c = await newCart();
        const variantId = uuidv7();
        const results = await Promise.all(Array.from({ length: 30 }, () => add(c, variantId, 5)));
        expect(results.filter((r) => r.ok)).toHaveLength(19);
        expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'QUANTITY_LIMIT')).toBe(true);
        expect(await itemsOf(c)).toEqual([expect.objectContaining({ quantity: 95 })]);
      });

      it('when 60 different variants are added at once, then the cart stops at 50 lines', async () => {
        const c = await newCart();
        const results = await Promise.all(Array.from({ length: 60 }, () => add(c, uuidv7(), 1)));
        expect(results.filter((r) => r.ok)).toHaveLength(50);
        expect(await itemsOf(c)).toHaveLength(50);
      });

      it('when adds race a checkout, then every accepted add is in the claimed cart and the rest were refused as checked out', async () => {
        const c = await newCart();
        const adds = Array.from({ length: 20 }, () => add(c, uuidv7(), 1));
        const [results, claimed] = await Promise.all([Promise.all(adds), store.markCheckedOut(c.cartId, uuidv7())]);
        expect(claimed).toBe(true);
        expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'CART_CHECKED_OUT')).toBe(true);
        expect(await itemsOf(c)).toHaveLength(results.filter((r) => r.ok).length);
      });
    });

    describe('open carts per owner', () => {
      it('when an owner holds the most open carts, then another is refused, and a checked-out cart makes room', async () => {
        const ownerId = uuidv7();
        const made = [];
        for (let i = 0; i < 3; i += 1) made.push(await store.createWithinLimit({ id: uuidv7(), ownerId, currency: null, maxOpen: 2 }));
        expect(made.map((c) => c !== null)).toEqual([true, true, false]);
        // another owner is not affected
        expect(await store.createWithinLimit({ id: uuidv7(), ownerId: uuidv7(), currency: null, maxOpen: 2 })).not.toBeNull();
        expect(await store.markCheckedOut(made[0]!.id, uuidv7())).toBe(true);
        expect(await store.createWithinLimit({ id: uuidv7(), ownerId, currency: null, maxOpen: 2 })).not.toBeNull();
      });

      it('when 12 creates for one owner race, then exactly the cap succeed', async () => {
        const ownerId = uuidv7();
        const made = await Promise.all(Array.from({ length: 12 }, () => store.createWithinLimit({ id: uuidv7(), ownerId, currency: null, maxOpen: 4 })));
        expect(made.filter((c) => c !== null)).toHaveLength(4);
      });
    });
  });
}
