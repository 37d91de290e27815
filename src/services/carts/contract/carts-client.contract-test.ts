import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CartsClient } from './carts-client.js';

export interface CartsClientFixture {
  client: CartsClient;
  /** an open cart with one line, and its owner */
  filledCart(): Promise<{ cartId: string; ownerId: string }>;
}

export function cartsClientContract(name: string, fixture: () => CartsClientFixture) {
  describe(`${name} carts client`, () => {
    it('when a cart is read for checkout, claimed, claimed again by another order and reopened, then each answer matches the contract', async () => {
      const { client, filledCart } = fixture();
      const { cartId, ownerId } = await filledCart();
      const read = await client.getForCheckout(cartId, ownerId);
      expect(read.ok && read.cart.items).toHaveLength(1);
      const orderId = randomUUID();
      expect(await client.markCheckedOut(cartId, orderId)).toEqual({ ok: true });
      expect(await client.markCheckedOut(cartId, randomUUID())).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT' });
      expect((await client.getForCheckout(cartId, ownerId, { orderId })).ok).toBe(true);
      // anyone else is told which order id holds it
      expect(await client.getForCheckout(cartId, ownerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
      await client.reopen(cartId, orderId);
      expect((await client.getForCheckout(cartId, ownerId)).ok).toBe(true);
    });

    it("when another owner's cart is asked for, then it is CART_NOT_FOUND", async () => {
      const { client, filledCart } = fixture();
      const { cartId } = await filledCart();
      expect(await client.getForCheckout(cartId, randomUUID())).toMatchObject({ ok: false, code: 'CART_NOT_FOUND' });
    });
  });
}
