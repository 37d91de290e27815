import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePspServer } from '../../src/services/payments/fake-psp/fake-psp-server.js';
import { createApi, createShopper } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { cloneMigratedShopDatabase } from '../support/pglite-templates.js';
import { serviceAvailable } from '../support/services.js';
import { startShopProcess, type ShopProcess } from '../support/shop-process.js';
import { TEST_ADMIN } from '../support/shop.js';

const postgres = await serviceAvailable('postgres');

/**
 * tok_slow's answer time at the PSP, the shop's deadline for it, and the lease on a claimed charge: a
 * restarted shop takes up the dead one's charges once their lease ends, so the lease (15 s by default)
 * is most of what this test waits. Shortened in proportion (lease > deadline > slowest answer, as
 * config.ts requires), the crash still leaves charges in flight at the PSP.
 */
const SLOW_CHARGE_MS = 2_000;
const PAYMENT_ENV = { PSP_TIMEOUT_MS: '3000', PAYMENT_LEASE_MS: '4000' };

type Psp = Awaited<ReturnType<typeof createFakePspServer>>;

async function startPsp(port = 0): Promise<{ psp: Psp; url: string; port: number }> {
  const psp = await createFakePspServer({ logger: pino({ level: 'silent' }), slowMs: SLOW_CHARGE_MS });
  await psp.listen({ host: '127.0.0.1', port });
  const actual = (psp.server.address() as AddressInfo).port;
  return { psp, url: `http://127.0.0.1:${actual}`, port: actual };
}

const freePort = async () => {
  const { createServer } = await import('node:net');
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
};

/**
 * Guarantee 2: once an order was acknowledged (202) it reaches a final state, even when the
 * process crashes before paying it or the PSP is down for a while.
 */
for (const engine of ['pglite', 'postgres'] as const) {
  describe.skipIf(engine === 'postgres' && !postgres)(`no lost order on ${engine}`, () => {
    let dataDir: string;
    let databaseUrl: string | undefined;
    let dropDatabase: (() => Promise<void>) | undefined;
    let shop: ShopProcess | undefined;
    let psp: { psp: Psp; url: string; port: number };

    const env = () => ({
      FLOODGATE_DATA_DIR: dataDir,
      FLOODGATE_PSP_URL: psp.url,
      FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
      FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
      ...PAYMENT_ENV,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'floodgate-crash-'));
      if (engine === 'postgres') {
        const fresh = await createPostgresTestDatabaseUrl();
        databaseUrl = fresh.url;
        dropDatabase = fresh.drop;
      } else {
        // the run's migrated PGlite data dir instead of initdb in the shop (pglite-templates.ts); the crash is what counts
        await cloneMigratedShopDatabase(dataDir);
      }
      psp = await startPsp();
    });
    afterAll(async () => {
      await shop?.kill();
      await psp?.psp.close();
      await dropDatabase?.();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('when the process is killed right after acknowledging orders, then after a restart every order is paid, each captured once', async () => {
      const port = await freePort();
      shop = await startShopProcess(env(), port);
      let api = createApi(shop.url);
      let shopper = createShopper(api);
      const admin = await shopper.adminToken(TEST_ADMIN);
      const { variantId } = await shopper.createProduct(admin, { stock: 10 });
      const buyers = await Promise.all(Array.from({ length: 5 }, async () => {
        const token = await shopper.guestToken();
        return { token, cartId: await shopper.cartWith(token, variantId, 1) };
      }));
      // tok_slow keeps the charges in flight at the PSP while the process dies
      const accepted = await Promise.all(buyers.map((b) => shopper.checkout(b.token, b.cartId, 'tok_slow')));
      expect(accepted.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);

      await shop.kill();
      shop = await startShopProcess(env(), port);
      api = createApi(shop.url);
      shopper = createShopper(api);

      const orders = await Promise.all(accepted.map((r, i) => shopper.settledOrder(buyers[i]!.token, r.body.orderId, 45_000)));
      expect(orders.map((o) => o.status)).toEqual(['paid', 'paid', 'paid', 'paid', 'paid']);
      const stats = await (await fetch(`${psp.url}/_stats`)).json() as { capturesByKey: Record<string, number> };
      for (const r of accepted) expect(stats.capturesByKey[`order:${r.body.orderId}`]).toBe(1);
      expect((await shopper.stock(await shopper.adminToken(TEST_ADMIN), variantId)).onHand).toBe(5);
    }, 120_000);

    it('when the PSP is down at checkout time, then orders wait and are paid once it is back', async () => {
      shop ??= await startShopProcess(env(), await freePort());
      const api = createApi(shop.url);
      const shopper = createShopper(api);
      const admin = await shopper.adminToken(TEST_ADMIN);
      const { variantId } = await shopper.createProduct(admin, { stock: 3 });
      const token = await shopper.guestToken();
      const cartId = await shopper.cartWith(token, variantId, 1);

      await psp.psp.close();
      const checkout = await shopper.checkout(token, cartId, 'tok_visa');
      expect(checkout.status).toBe(202);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await api.get(`/v1/orders/${checkout.body.orderId}`, { token })).body.status).toBe('pending');

      psp = await startPsp(psp.port);
      const order = await shopper.settledOrder(token, checkout.body.orderId, 60_000);
      expect(order.status).toBe('paid');
    }, 120_000);
  });
}
