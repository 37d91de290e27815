import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InventoryClient } from './inventory-client.js';

export interface InventoryClientFixture {
  client: InventoryClient;
  /** a new variant with `onHand` units on the shelf */
  stockedVariant(onHand: number): Promise<string>;
}

/** What every InventoryClient (in-process, over HTTP) must do alike: results, Dates, Maps and refusals. */
export function inventoryClientContract(name: string, fixture: () => InventoryClientFixture) {
  describe(`${name} inventory client`, () => {
    it('when stock is reserved twice under one reference, then both answers are the same hold with a Date expiry', async () => {
      const { client, stockedVariant } = fixture();
      const variantId = await stockedVariant(5);
      const reference = randomUUID();
      const first = await client.reserve({ reference, lines: [{ variantId, quantity: 2 }], ttlMs: 60_000 });
      const again = await client.reserve({ reference, lines: [{ variantId, quantity: 2 }], ttlMs: 60_000 });
      expect(first.ok && again.ok).toBe(true);
      if (!first.ok || !again.ok) return;
      expect(again.reservationId).toBe(first.reservationId);
      expect(first.expiresAt).toBeInstanceOf(Date);
      expect((await client.available([variantId])).get(variantId)).toBe(3);
    });

    it('when more is asked than is available, then INVENTORY_INSUFFICIENT names the variant and what is left', async () => {
      const { client, stockedVariant } = fixture();
      const variantId = await stockedVariant(1);
      const result = await client.reserve({ reference: randomUUID(), lines: [{ variantId, quantity: 2 }], ttlMs: 60_000 });
      expect(result).toEqual({ ok: false, code: 'INVENTORY_INSUFFICIENT', variantId, available: 1 });
    });

    it('when a hold is extended, committed and released, then each answer matches the contract', async () => {
      const { client, stockedVariant } = fixture();
      const variantId = await stockedVariant(4);
      const hold = await client.reserve({ reference: randomUUID(), lines: [{ variantId, quantity: 1 }], ttlMs: 60_000 });
      if (!hold.ok) throw new Error('hold refused');
      const until = new Date(Date.now() + 10 * 60_000);
      const extended = await client.extendReservation(hold.reservationId, until);
      expect(extended.ok && extended.expiresAt.getTime()).toBe(until.getTime());
      expect(await client.commit(hold.reservationId)).toEqual({ ok: true });
      await client.release(hold.reservationId, 'test');
      expect((await client.available([variantId, randomUUID()])).get(variantId)).toBe(3);
      expect(await client.commit(randomUUID())).toEqual({ ok: false, code: 'RESERVATION_NOT_FOUND' });
    });
  });
}
