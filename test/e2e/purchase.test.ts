import { describe, expect, it } from 'vitest';
import { serviceAvailable } from '../support/services.js';
import { useTestShop } from '../support/shop.js';

const postgres = await serviceAvailable('postgres');

for (const engine of ['pglite', 'postgres'] as const) {
  describe.skipIf(engine === 'postgres' && !postgres)(`purchase end to end on ${engine}`, () => {
    const t = useTestShop(engine);

    it('when a registered customer searches, fills a cart and pays with tok_visa, then the order ends paid and the stock leaves the shelf', async () => {
      const { variantId, slug } = await t.shopper.createProduct(t.admin, { stock: 5, price: 2500 });
      const customer = await t.shopper.register('Ada');

      const search = await t.api.get(`/v1/products?q=${encodeURIComponent(slug.split('-').slice(-1)[0] ?? slug)}`);
      expect(search.status).toBe(200);
      const page = await t.api.get(`/v1/products/${slug}`);
      expect(page.status).toBe(200);
      expect(page.body.variants[0]).toMatchObject({ id: variantId, available: 5, price: { amount: 2500, currency: 'USD' } });

      const cartId = await t.shopper.cartWith(customer.token, variantId, 2);
      const cart = await t.api.get(`/v1/carts/${cartId}`, { token: customer.token });
      expect(cart.body.subtotal).toEqual({ amount: 5000, currency: 'USD' });

      const checkout = await t.shopper.checkout(customer.token, cartId, 'tok_visa');
      expect(checkout.status).toBe(202);
      expect(checkout.body).toMatchObject({ orderId: expect.any(String), status: 'pending' });

      const order = await t.shopper.settledOrder(customer.token, checkout.body.orderId);
      expect(order.status).toBe('paid');
      expect(order.total).toEqual({ amount: 5000, currency: 'USD' });
      expect(await t.shopper.stock(t.admin, variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });

      const mine = await t.api.get('/v1/orders', { token: customer.token });
      expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([checkout.body.orderId]);
    });

    it('when an admin reprices a variant that sits in a cart, then the next cart answer shows the new price and checkout charges it', async () => {
      const { productId, variantId } = await t.shopper.createProduct(t.admin, { stock: 4, price: 1500 });
      const guest = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(guest, variantId, 2);
      expect((await t.api.get(`/v1/carts/${cartId}`, { token: guest })).body.subtotal).toEqual({ amount: 3000, currency: 'USD' });

      const patch = await t.api.patch(`/v1/admin/products/${productId}`, { variants: [{ id: variantId, price: { amount: 1200, currency: 'USD' } }] }, { token: t.admin });
      expect(patch.status).toBe(200);
      // the change dropped the variant's cached snapshot in this process: no TTL to wait out
      const cart = await t.api.get(`/v1/carts/${cartId}`, { token: guest });
      expect(cart.body.items[0].unitPrice).toEqual({ amount: 1200, currency: 'USD' });
      expect(cart.body.subtotal).toEqual({ amount: 2400, currency: 'USD' });

      const checkout = await t.shopper.checkout(guest, cartId, 'tok_visa');
      expect(checkout.status).toBe(202);
      expect((await t.shopper.settledOrder(guest, checkout.body.orderId)).total).toEqual({ amount: 2400, currency: 'USD' });
    });

    it('when the card is declined, then the order ends payment_failed and the stock is back', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 3 });
      const guest = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(guest, variantId, 3);

      const checkout = await t.shopper.checkout(guest, cartId, 'tok_declined');
      expect(checkout.status).toBe(202);
      const order = await t.shopper.settledOrder(guest, checkout.body.orderId);
      expect(order.status).toBe('payment_failed');
      expect(await t.shopper.stock(t.admin, variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    });

    it('when the PSP fails transiently (tok_flaky), then the order is still paid, captured exactly once', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 2 });
      const guest = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(guest, variantId, 1);
      const checkout = await t.shopper.checkout(guest, cartId, 'tok_flaky');
      expect(checkout.status).toBe(202);
      expect((await t.shopper.settledOrder(guest, checkout.body.orderId)).status).toBe('paid');
      const stats = await (await fetch(`${t.shop.pspUrl}/_stats`)).json() as { capturesByKey: Record<string, number> };
      expect(stats.capturesByKey[`order:${checkout.body.orderId}`]).toBe(1);
    });

    it('when an t.admin cancels a paid order, then the money is refunded and the units return to stock', async () => {
      const { variantId } = await t.shopper.createProduct(t.admin, { stock: 4 });
      const guest = await t.shopper.guestToken();
      const cartId = await t.shopper.cartWith(guest, variantId, 2);
      const checkout = await t.shopper.checkout(guest, cartId);
      expect((await t.shopper.settledOrder(guest, checkout.body.orderId)).status).toBe('paid');
      expect((await t.shopper.stock(t.admin, variantId)).onHand).toBe(2);

      const cancel = await t.api.post(`/v1/admin/orders/${checkout.body.orderId}/cancel`, undefined, { token: t.admin });
      expect(cancel.status).toBe(200);
      const order = await t.api.get(`/v1/orders/${checkout.body.orderId}`, { token: guest });
      expect(order.body.status).toBe('cancelled');
      expect(await t.shopper.stock(t.admin, variantId)).toMatchObject({ onHand: 4, available: 4 });
      const again = await t.api.post(`/v1/admin/orders/${checkout.body.orderId}/refund`, undefined, { token: t.admin });
      expect(again.status).toBe(409);
    });
  });
}
