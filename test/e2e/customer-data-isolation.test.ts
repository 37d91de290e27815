import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const redisUp = await serviceAvailable('redis');

/**
 * Issue 11: "a cache never serves one customer's data to another". The shop caches aggressively (rendered catalog
 * pages in process memory and, with REDIS_URL, in Redis); here two registered customers and two guests each hold a
 * cart and an order, every read is repeated (a second read is where a cache would answer), alternating callers,
 * and each must only ever see its own — with and without the shared Redis level. Every answer about one caller
 * says `Cache-Control: no-store`, so no browser or CDN in between keeps it either.
 */
for (const level of ['in-process', 'redis'] as const) {
  describe.skipIf(level === 'redis' && !redisUp)(`customer data across callers (${level} cache)`, () => {
    const namespace = `fgtest:${randomUUID()}`;
    let shop: TestShop;
    let api: Api;
    const callers: Array<{ name: string; token: string; cartId: string; orderId: string; email?: string }> = [];

    beforeAll(async () => {
      shop = await startTestShop('pglite', level === 'redis' ? { REDIS_URL: TEST_SERVICES.redis, REDIS_KEY_PREFIX: namespace } : {});
      api = createApi(shop.url);
      const shopper = createShopper(api);
      const admin = await shopper.adminToken(shop.admin);
      const { variantId } = await shopper.createProduct(admin, { stock: 50 });
      const people = [
        { name: 'ann', ...(await shopper.register('Ann')) },
        { name: 'bob', ...(await shopper.register('Bob')) },
        { name: 'guest-1', token: await shopper.guestToken() },
        { name: 'guest-2', token: await shopper.guestToken() },
      ];
      for (const person of people) {
        const ordered = await shopper.checkout(person.token, await shopper.cartWith(person.token, variantId, 1));
        expect(ordered.status).toBe(202);
        // a second, open cart each: carts are read while open
        const cartId = await shopper.cartWith(person.token, variantId, 2);
        callers.push({ name: person.name, token: person.token, cartId, orderId: ordered.body.orderId as string, ...('email' in person ? { email: person.email } : {}) });
      }
    }, 120_000);
    afterAll(async () => {
      await shop?.dispose();
      if (level === 'redis') {
        const redis = new Redis(TEST_SERVICES.redis);
        const keys = await redis.keys(`${namespace}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    });

    it('when callers read their carts, orders and profile in turn, twice, then each gets only its own, marked no-store, and nobody reads another\'s cart or order', async () => {
      for (let round = 0; round < 2; round++) {
        for (const me of callers) {
          const cart = await api.get(`/v1/carts/${me.cartId}`, { token: me.token });
          expect(cart.status, me.name).toBe(200);
          expect(cart.body.id).toBe(me.cartId);
          expect(cart.headers.get('cache-control')).toMatch(/no-store/);

          const orders = await api.get('/v1/orders', { token: me.token });
          expect(orders.status, me.name).toBe(200);
          expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([me.orderId]);
          expect(orders.headers.get('cache-control')).toMatch(/no-store/);

          const order = await api.get(`/v1/orders/${me.orderId}`, { token: me.token });
          expect(order.status, me.name).toBe(200);
          expect(order.headers.get('cache-control')).toMatch(/no-store/);

          const profile = await api.get('/v1/me', { token: me.token });
          expect(profile.status, me.name).toBe(200);
          if (me.email) expect(profile.body.email).toBe(me.email);
          expect(profile.headers.get('cache-control')).toMatch(/no-store/);

          for (const other of callers.filter((c) => c !== me)) {
            expect((await api.get(`/v1/carts/${other.cartId}`, { token: me.token })).status, `${me.name} reading ${other.name}'s cart`).toBe(404);
            expect((await api.get(`/v1/orders/${other.orderId}`, { token: me.token })).status, `${me.name} reading ${other.name}'s order`).toBe(404);
          }
        }
      }
    });
  });
}
