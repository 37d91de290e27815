import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serviceAvailable } from '../support/services.js';
import { useTestShop } from '../support/shop.js';

const postgres = await serviceAvailable('postgres');

for (const engine of ['pglite', 'postgres'] as const) {
  describe.skipIf(engine === 'postgres' && !postgres)(`concurrent checkout on ${engine} (no oversell, no double order)`, () => {
    const t = useTestShop(engine);

    it('when 200 shoppers check out at once for 20 units, then exactly 20 orders are accepted and 180 get a clean 409', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 20 });
      const shoppers = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const token = await t.shopper.guestToken();
          return { token, cartId: await t.shopper.cartWith(token, variantId, 1) };
        }),
      );

      const results = await Promise.all(shoppers.map((s) => t.shopper.checkout(s.token, s.cartId)));

      const accepted = results.filter((r) => r.status === 202);
      const soldOut = results.filter((r) => r.status === 409);
      expect(accepted).toHaveLength(20);
      expect(soldOut).toHaveLength(180);
      for (const r of soldOut) {
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(r.body.code).toBe('CHECKOUT_INSUFFICIENT_STOCK');
      }
      const settled = await Promise.all(accepted.map((r, i) => t.shopper.settledOrder(shoppers[results.indexOf(r)]?.token ?? String(i), r.body.orderId)));
      expect(settled.every((o) => o.status === 'paid')).toBe(true);
      expect(await t.shopper.stock(t.admin, variantId)).toEqual(expect.objectContaining({ onHand: 0, reserved: 0, available: 0 }));
    });

    it('when 50 identical checkouts race with one idempotency key, then one order exists and every answer names it or asks to retry', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 10 });
      const token = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(token, variantId, 1);
      const key = randomUUID();

      const results = await Promise.all(Array.from({ length: 50 }, () => t.shopper.checkout(token, cartId, 'tok_visa', key)));

      const accepted = results.filter((r) => r.status === 202);
      const inFlight = results.filter((r) => r.status === 409);
      expect(accepted.length + inFlight.length).toBe(50);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(new Set(accepted.map((r) => r.body.orderId)).size).toBe(1);
      for (const r of inFlight) expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');

      // a retry after the dust settles replays the same answer
      const replay = await t.shopper.checkout(token, cartId, 'tok_visa', key);
      expect(replay.status).toBe(202);
      expect(replay.body.orderId).toBe(accepted[0]?.body.orderId);
      const orders = await t.api.get('/v1/orders', { token });
      expect(orders.body.items).toHaveLength(1);
      expect((await t.shopper.settledOrder(token, replay.body.orderId)).status).toBe('paid');
      expect((await t.shopper.stock(t.admin, variantId)).onHand).toBe(9);
    });

    it('when the same key comes back with a different body, then 422 and nothing new is written', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 10 });
      const token = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(token, variantId, 1);
      const key = randomUUID();
      expect((await t.shopper.checkout(token, cartId, 'tok_visa', key)).status).toBe(202);
      const reused = await t.shopper.checkout(token, cartId, 'tok_declined', key);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await t.api.get('/v1/orders', { token })).body.items).toHaveLength(1);
    });
  });
}
