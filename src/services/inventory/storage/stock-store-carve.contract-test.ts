import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earlier, HOUR, later, line, type StockStoreFixture } from './stock-store.contract-test.js';
import type { StockStore } from './stock-store.js';


/**
 * Holds carved out of an allocation (a flash sale's units), on every engine: the units change owner
 * without touching `reserved`, go back to the allocation while it holds and to the shelf after.
 */
export function carveContract(name: string, make: () => Promise<StockStoreFixture>) {
  describe(`${name} stock store, carving from an allocation`, () => {
    let fx: StockStoreFixture;
    let store: StockStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(() => fx?.dispose());

    /** a variant with `onHand` units of which `allocated` are held by a sale's allocation */
    const allocated = async (onHand: number, allocated: number) => {
      const variantId = uuidv7();
      await store.setLevels([{ variantId, onHand }]);
      const result = await store.reserve({ id: uuidv7(), reference: `flash-sale:${uuidv7()}`, lines: [line(variantId, allocated)], expiresAt: later() });
      if (!result.ok) throw new Error(`expected an allocation, got ${result.code}`);
      return { variantId, allocationId: result.reservationId };
    };
    const carve = (allocationId: string, variantId: string, quantity: number, options: { reference?: string; expiresAt?: Date } = {}) =>
      store.reserve({ id: uuidv7(), reference: options.reference ?? `order-${uuidv7()}`, lines: [line(variantId, quantity)], expiresAt: options.expiresAt ?? later(), from: allocationId });
    const allocationLeft = async (allocationId: string) => (await store.getReservation(allocationId))?.lines[0]?.quantity;

    it('when a hold is carved, then the allocation drops, reserved stays and the hold names its allocation', async () => {
      const { variantId, allocationId } = await allocated(10, 6);
      const carved = await carve(allocationId, variantId, 2);
      expect(carved).toMatchObject({ ok: true, created: true });
      expect(await allocationLeft(allocationId)).toBe(4);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 10, reserved: 6, available: 4 });
      if (!carved.ok) return;
      expect(await store.getReservation(carved.reservationId)).toMatchObject({ status: 'held', carvedFrom: allocationId, lines: [line(variantId, 2)] });
    });

    it('when the allocation holds too little, then nothing moves and what it holds is named', async () => {
      const { variantId, allocationId } = await allocated(10, 3);
      expect(await carve(allocationId, variantId, 4)).toEqual({ ok: false, code: 'INVENTORY_INSUFFICIENT', variantId, available: 3 });
      // the shelf's 7 free units are not the allocation's: a carve never reaches them
      const other = uuidv7();
      await store.setLevels([{ variantId: other, onHand: 5 }]);
      expect(await carve(allocationId, other, 1)).toEqual({ ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: other, available: 0 });
      expect(await allocationLeft(allocationId)).toBe(3);
      expect(await store.getLevel(variantId)).toMatchObject({ reserved: 3 });
    });

    it('when the allocation is released, committed or unknown, then the carve is refused and nothing moves', async () => {
      const { variantId, allocationId } = await allocated(5, 5);
      await store.release(allocationId, 'sale_ended');
      expect(await carve(allocationId, variantId, 1)).toEqual({ ok: false, code: 'INVENTORY_ALLOCATION_NOT_HELD', allocationId });
      const unknown = uuidv7();
      expect(await carve(unknown, variantId, 1)).toEqual({ ok: false, code: 'INVENTORY_ALLOCATION_NOT_HELD', allocationId: unknown });
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 5, reserved: 0, available: 5 });
    });

    it('when the same reference carves again, then the first hold is answered and the allocation drops once', async () => {
      const { variantId, allocationId } = await allocated(10, 5);
      const reference = `order-${uuidv7()}`;
      const first = await carve(allocationId, variantId, 2, { reference });
      const again = await carve(allocationId, variantId, 2, { reference });
      expect(again).toEqual({ ...first, created: false });
      expect(await allocationLeft(allocationId)).toBe(3);
    });

    it('when a carved hold is released, then its units go back to the allocation, not the shelf, once', async () => {
      const { variantId, allocationId } = await allocated(10, 4);
      const carved = await carve(allocationId, variantId, 4);
      if (!carved.ok) throw new Error('expected a hold');
      expect(await allocationLeft(allocationId)).toBe(0);
      expect(await store.release(carved.reservationId, 'payment_failed')).toBe(true);
      expect(await store.release(carved.reservationId, 'payment_failed')).toBe(false);
      expect(await allocationLeft(allocationId)).toBe(4);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 10, reserved: 4, available: 6 });
      // and they can be carved again
      expect(await carve(allocationId, variantId, 4)).toMatchObject({ ok: true });
    });

    it('when a carved hold expires, then its units go back to the allocation', async () => {
      const { variantId, allocationId } = await allocated(10, 4);
      const carved = await carve(allocationId, variantId, 3, { expiresAt: earlier() });
      if (!carved.ok) throw new Error('expected a hold');
      while ((await store.expireDue(new Date(), 50)) > 0);
      expect((await store.getReservation(carved.reservationId))?.status).toBe('released');
      expect(await allocationLeft(allocationId)).toBe(4);
      expect(await store.getLevel(variantId)).toMatchObject({ reserved: 4 });
    });

    it('when the allocation was released first (the sale ended), then a later release of a carved hold goes to the shelf', async () => {
      const { variantId, allocationId } = await allocated(10, 4);
      const carved = await carve(allocationId, variantId, 1);
      if (!carved.ok) throw new Error('expected a hold');
      await store.release(allocationId, 'sale_ended');
      expect(await store.getLevel(variantId)).toMatchObject({ reserved: 1, available: 9 });
      await store.release(carved.reservationId, 'payment_failed');
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 10, reserved: 0, available: 10 });
    });

    it('when an allocation and its carved hold expire in one batch, then every unit is back on the shelf', async () => {
      const { variantId, allocationId } = await allocated(10, 5);
      const carved = await carve(allocationId, variantId, 2, { expiresAt: earlier() });
      if (!carved.ok) throw new Error('expected a hold');
      await store.extend(allocationId, new Date(Date.now() - 500)); // never shortens: stays an hour ahead
      while ((await store.expireDue(new Date(Date.now() + 2 * HOUR), 50)) > 0);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 10, reserved: 0, available: 10 });
    });

    it('when a carved hold is committed, then the units leave the shelf and the allocation keeps the rest', async () => {
      const { variantId, allocationId } = await allocated(10, 4);
      const carved = await carve(allocationId, variantId, 1);
      if (!carved.ok) throw new Error('expected a hold');
      expect(await store.commit(carved.reservationId)).toEqual({ ok: true });
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 9, reserved: 3, available: 6 });
      expect(await allocationLeft(allocationId)).toBe(3);
      // the sale ends: its unsold units go back to the shelf
      await store.release(allocationId, 'sale_ended');
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 9, reserved: 0, available: 9 });
    });

    it('when an expired carved hold is committed late, then its units come back out of the allocation while it has them, else off the shelf', async () => {
      const { variantId, allocationId } = await allocated(10, 2);
      const first = await carve(allocationId, variantId, 1, { expiresAt: earlier() });
      if (!first.ok) throw new Error('expected a hold');
      while ((await store.expireDue(new Date(), 50)) > 0);
      expect(await allocationLeft(allocationId)).toBe(2);
      expect(await store.commitExpired(first.reservationId)).toEqual({ ok: true });
      expect(await allocationLeft(allocationId)).toBe(1);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 9, reserved: 1, available: 8 });

      // the allocation resold the unit meanwhile: the late commit takes a shelf unit instead
      const second = await carve(allocationId, variantId, 1, { expiresAt: earlier() });
      if (!second.ok) throw new Error('expected a hold');
      while ((await store.expireDue(new Date(), 50)) > 0);
      expect(await carve(allocationId, variantId, 1)).toMatchObject({ ok: true });
      expect(await store.commitExpired(second.reservationId)).toEqual({ ok: true });
      expect(await allocationLeft(allocationId)).toBe(0);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 8, reserved: 1, available: 7 });
    });

    it('when 200 carves of one unit race for an allocation of 20, then exactly 20 succeed', async () => {
      const { variantId, allocationId } = await allocated(50, 20);
      const results = await Promise.all(Array.from({ length: 200 }, () => carve(allocationId, variantId, 1)));
      expect(results.filter((r) => r.ok)).toHaveLength(20);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'INVENTORY_INSUFFICIENT' && r.available === 0)).toBe(true);
      expect(await allocationLeft(allocationId)).toBe(0);
      expect(await store.getLevel(variantId)).toEqual({ variantId, onHand: 50, reserved: 20, available: 30 });
    });

    it('when carves, releases, expiry and the allocation\'s own release race, then reserved equals what is still held', async () => {
      const { variantId, allocationId } = await allocated(40, 20);
      const first = await Promise.all(Array.from({ length: 10 }, (_, i) => carve(allocationId, variantId, 1, i % 2 ? {} : { expiresAt: earlier() })));
      const ids = first.flatMap((r) => (r.ok ? [r.reservationId] : []));
      await Promise.all([
        ...ids.map((id) => store.release(id, 'payment_failed')),
        ...Array.from({ length: 20 }, () => carve(allocationId, variantId, 1)),
        store.expireDue(new Date(), 50),
        store.release(allocationId, 'sale_ended'),
      ]);
      while ((await store.expireDue(new Date(), 50)) > 0);
      const { rows } = await sql<{ held: string | null }>`
        select sum(l.quantity) as held from inventory.reservation_lines l join inventory.reservations r on r.id = l.reservation_id
        where l.variant_id = ${variantId} and r.status = 'held'`.execute(fx.db.kysely);
      expect((await store.getLevel(variantId))?.reserved).toBe(Number(rows[0]?.held ?? 0));
      expect(await store.getLevel(variantId)).toMatchObject({ onHand: 40 });
    });
  });
}
