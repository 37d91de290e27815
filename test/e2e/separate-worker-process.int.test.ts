import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApi, createShopper } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/private-postgres.js';
import { startPspProcess } from '../support/psp-process.js';
import { serviceAvailable } from '../support/services.js';
import { startShopProcess } from '../support/shop-process.js';
import { TEST_ADMIN } from '../support/shop.js';
import { startWorkerProcess } from '../support/worker-process.js';

const postgres = await serviceAvailable('postgres');

/** the value of one series in a Prometheus text page (0 when absent) */
const series = (page: string, name: string, labels: string) =>
  page.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(labels)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);

describe.skipIf(!postgres)('background jobs in their own process', () => {
  it('when the API process runs with FLOODGATE_WORKERS=none, then orders wait in the outbox until `floodgate worker all` relays and charges them', { timeout: 180_000 }, async () => {
    const database = await createPostgresTestDatabaseUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'floodgate-api-'));
    // the PSP starts beside the API process (which only needs its address), not before it
    const pspPort = await freePort();
    const pspStarting = startPspProcess({ port: pspPort });
    pspStarting.catch(() => {}); // awaited below; a failure fails the test there
    try {
      const env = {
        DATABASE_URL: database.url,
        FLOODGATE_PSP_URL: `http://127.0.0.1:${pspPort}`,
        FLOODGATE_DATA_DIR: dataDir,
        FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
        FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
      };
      await using api = await startShopProcess({ ...env, FLOODGATE_WORKERS: 'none' }, await freePort());
      const psp = await pspStarting;
      const client = createApi(api.url);
      const shopper = createShopper(client);
      const admin = await shopper.adminToken(TEST_ADMIN);
      const { variantId } = await shopper.createProduct(admin, { stock: 5 });
      const [paying, declined] = [await shopper.guestToken(), await shopper.guestToken()];
      const paid = await shopper.checkout(paying, await shopper.cartWith(paying, variantId, 2), 'tok_visa');
      const failed = await shopper.checkout(declined, await shopper.cartWith(declined, variantId, 1), 'tok_declined');
      expect([paid.status, failed.status]).toEqual([202, 202]);
      expect((await client.get(`/v1/orders/${paid.body.orderId}`, { token: paying })).body.status).toBe('pending');

      await using worker = await startWorkerProcess(['all'], env);
      expect((await shopper.settledOrder(paying, paid.body.orderId, 60_000)).status).toBe('paid');
      expect((await shopper.settledOrder(declined, failed.body.orderId, 60_000)).status).toBe('payment_failed');
      expect(await shopper.stock(admin, variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
      expect((await psp.stats()).capturesByKey[`order:${paid.body.orderId}`]).toBe(1);

      // the API process published nothing and charged nothing: the worker process did both
      const apiMetrics = String((await client.get('/metrics')).body);
      const workerMetrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(series(apiMetrics, 'floodgate_bus_published_total', 'type="order.placed"')).toBe(0);
      expect(series(workerMetrics, 'floodgate_bus_published_total', 'type="order.placed"')).toBe(2);
      expect(worker.output()).toMatch(/floodgate worker running [^\n]*payments-charge-worker/);
      expect(await worker.stop()).toBe(0);
      expect(await api.stop()).toBe(0);
    } finally {
      await (await pspStarting.catch(() => undefined))?.dispose();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
