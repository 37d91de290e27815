import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startAllInOne } from '../../src/runtime/all-in-one.js';
import { createApi } from '../support/api.js';

describe('the demo flash sale of npm start', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when the shop starts for the first time, then one live 300-unit sale is seeded through the use case (its units carved out), and a restart finds it again instead of adding one', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'floodgate-demo-sale-'));
    // SHUTDOWN_IDLE_GRACE_MS 0: each stop would otherwise hold this test's idle keep-alive connections open
    // for the production grace; the drain has its own test (graceful-shutdown.test.ts)
    const config = loadConfig({ PORT: '0', FLOODGATE_DATA_DIR: dataDir, FLOODGATE_DEMO_PRODUCTS: '20', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', SHUTDOWN_IDLE_GRACE_MS: '0' });

    const first = await startAllInOne({ config, seed: true });
    let saleId: string | undefined;
    try {
      saleId = first.seed?.flashSale?.id;
      expect(first.seed?.flashSale).toEqual({ id: expect.any(String), status: 'live' });
      const api = createApi(first.url);
      const sale = (await api.get(`/v1/flash-sales/${saleId}`)).body;
      expect(sale).toMatchObject({ status: 'live', remaining: 300, quantity: 300, perCustomerLimit: 2, allowGuests: true });
      expect(new Date(sale.endsAt).getTime() - new Date(sale.startsAt).getTime()).toBe(24 * 3_600_000);
      // the shelf keeps the variant's normal demo stock: the sale's 300 units were added, then carved out
      const product = (await api.get('/v1/products?limit=100')).body.items.flatMap((p: { variants: Array<{ id: string; available: number }> }) => p.variants).find((v: { id: string }) => v.id === sale.variantId);
      expect(product?.available).toBe(20);
      expect((await api.get('/v1/flash-sales')).body.items.map((s: { id: string }) => s.id)).toEqual([saleId]);
    } finally {
      await first.stop();
    }

    const second = await startAllInOne({ config, seed: true });
    try {
      expect(second.seed?.flashSale?.id).toBe(saleId);
      expect((await createApi(second.url).get('/v1/flash-sales')).body.items).toHaveLength(1);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
