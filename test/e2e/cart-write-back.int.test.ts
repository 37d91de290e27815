import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi, createShopper } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { TEST_SERVICES, serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { tempDirs } from '../support/temp-dirs.js';

const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));
const tempDir = tempDirs('floodgate-carts-');

describe.skipIf(!ready)('carts in Redis, written back to PostgreSQL (the all-in-one with REDIS_URL)', () => {
  // the shared Redis under this file's own prefix; only those keys are deleted afterwards
  const prefix = `fgtest-${randomUUID()}`;
  const shops: TestShop[] = [];
  let database: { url: string; drop(): Promise<void> } | undefined;
  afterAll(async () => {
    for (const shop of shops) await shop.dispose();
    await database?.drop();
    const redis = new Redis(TEST_SERVICES.redis);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  let dataDir: string | undefined;
  const start = async () => {
    database ??= await createPostgresTestDatabaseUrl();
    // one data dir for both shops: it holds the key-encryption key the tokens' signing keys are sealed with
    dataDir ??= tempDir();
    const shop = await startTestShop('postgres', { REDIS_URL: TEST_SERVICES.redis, REDIS_KEY_PREFIX: prefix, CARTS_FLUSH_INTERVAL_MS: '20' }, { databaseUrl: database.url, dataDir });
    shops.push(shop);
    const api = createApi(shop.url);
    return { shop, api, shopper: createShopper(api) };
  };

  it('when shoppers fill carts, then nobody reads another’s cart, checkout takes the newest cart, and a restarted shop finds every cart', async () => {
    const first = await start();
    const admin = await first.shopper.adminToken(first.shop.admin);
    const { variantId } = await first.shopper.createProduct(admin, { stock: 20, price: 1000 });
    const [ada, guest] = [await first.shopper.register('Ada'), await first.shopper.guestToken()];

    const adaCart = await first.shopper.cartWith(ada.token, variantId, 1);
    const guestCart = await first.shopper.cartWith(guest, variantId, 2);
    // ten more units in parallel: every one counted
    const adds = await Promise.all(Array.from({ length: 10 }, () => first.api.post(`/v1/carts/${adaCart}/items`, { variantId, quantity: 1 }, { token: ada.token })));
    expect(adds.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect((await first.api.get(`/v1/carts/${adaCart}`, { token: ada.token })).body.items).toEqual([expect.objectContaining({ variantId, quantity: 11 })]);
    expect((await first.api.get(`/v1/carts/${adaCart}`, { token: guest })).status).toBe(404);
    expect((await first.api.get(`/v1/carts/${guestCart}`, { token: ada.token })).status).toBe(404);

    const checkout = await first.shopper.checkout(ada.token, adaCart);
    expect(checkout.status).toBe(202);
    expect((await first.shopper.settledOrder(ada.token, checkout.body.orderId)).total).toEqual({ amount: 11_000, currency: 'USD' });
    // checked out in Redis and in PostgreSQL alike: no more changes
    expect((await first.api.post(`/v1/carts/${adaCart}/items`, { variantId, quantity: 1 }, { token: ada.token })).status).toBe(409);

    await first.shop.stop();
    shops.splice(shops.indexOf(first.shop), 1);
    const second = await start();
    const again = await second.api.get(`/v1/carts/${guestCart}`, { token: guest });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.items).toEqual([expect.objectContaining({ variantId, quantity: 2 })]);
    expect((await second.api.post(`/v1/carts/${adaCart}/items`, { variantId, quantity: 1 }, { token: ada.token })).status).toBe(409);
  });
});
