import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startAllInOne } from '../../src/runtime/all-in-one.js';
import { createApi } from './api.js';
import { waitFor } from './wait-for.js';

const ADMIN = { email: 'live-sale-admin@example.com', password: 'live-sale-admin-password' };

/**
 * An all-in-one shop on real HTTP (20 demo products) with one live flash sale of 5 units of its `product`-th product
 * for guests, one unit each, admitting `admissionRatePerSecond`: what the fast-lane tests of the spike path start from.
 */
export async function startShopWithLiveSale({ admissionRatePerSecond, product }: { admissionRatePerSecond: number; product: number }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-live-sale-'));
  const config = loadConfig({ PORT: '0', FLOODGATE_DATA_DIR: dataDir, FLOODGATE_DEMO_PRODUCTS: '20', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', SHUTDOWN_IDLE_GRACE_MS: '0', FLOODGATE_ADMIN_EMAIL: ADMIN.email, FLOODGATE_ADMIN_PASSWORD: ADMIN.password });
  const shop = await startAllInOne({ config, seed: true });
  const api = createApi(shop.url);
  const admin = (await api.post('/v1/auth/login', ADMIN)).body.accessToken as string;
  const variant = (await api.get('/v1/products?limit=5')).body.items[product].variants[0];
  const now = Date.now();
  const sale = await api.post('/v1/admin/flash-sales', {
    variantId: variant.id, price: { amount: 999, currency: variant.price.currency }, quantity: 5,
    startsAt: new Date(now - 1_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
    perCustomerLimit: 1, admissionRatePerSecond, allowGuests: true,
  }, { token: admin });
  expect(sale.status).toBe(201);
  const saleId = sale.body.id as string;
  await waitFor('the sale going live', async () => (await api.get(`/v1/flash-sales/${saleId}`)).body.status === 'live', { timeoutMs: 20_000 });
  return {
    shop,
    saleId,
    admin,
    /** a guest in the sale's queue: its token and ticket */
    guestInQueue: async () => {
      const token = (await api.post('/v1/auth/guest')).body.accessToken as string;
      const joined = await api.post(`/v1/flash-sales/${saleId}/queue`, undefined, { token });
      expect(joined.status).toBe(201);
      return { token, ticket: joined.body.ticket as string };
    },
    stop: async () => {
      await shop.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
