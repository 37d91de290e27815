import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashFifoCheck } from '../../src/loadtest/scenarios/flash-checks.js';
import type { PollObservation } from '../../src/loadtest/scenarios/flash-customer.js';
import { seededRandom } from '../../src/loadtest/virtual-user.js';
import { createRedisCounterStore } from '../../src/platform/counters/redis-counter-store.js';
import type { CounterStore } from '../../src/platform/counters/counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../../src/platform/redis/redis-connection.js';
import { ADDRESS, createApi, createShopper, type Api } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/private-postgres.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { serviceAvailable } from '../support/services.js';
import { startShopProcess, type ShopProcess } from '../support/shop-process.js';
import { TEST_ADMIN } from '../support/shop.js';

const postgresUp = await serviceAvailable('postgres');
const redisServer = privateRedisAvailable();
const STOCK = 3;
const CUSTOMERS = 9;
const SEEDS = Array.from({ length: 20 }, (_, i) => 11 + i * 7_919);
const ADMISSION_TTL_MS = 5_000;
/** FLASH_SALE_TICK_MS: the admission tick, and the poll cache's age limit */
const TICK_MS = 250;
const silent = { info: () => {}, warn: () => {} };

type Plan = 'pay' | 'decline' | 'abandon' | 'lapse';

/**
 * Sales across four all-in-one processes (`floodgate start`) sharing one fresh PostgreSQL database
 * and one private redis-server, started once: every process admits, expires leases, reconciles and
 * charges; every customer joins on one process, reserves on the next and checks out on a third. Twenty
 * seeded sales run side by side (small ones, so the file stays within its CI budget), each with random
 * plans: pay, be declined, walk away (the lease expires) or let the admission lapse (the reservation is
 * refused and the turn goes on). Each is sampled while it runs and checked after it drains: units
 * conserved at every sample, nothing oversold, limits held, every order final, FIFO within one tick.
 */
describe.skipIf(!postgresUp || !redisServer)('a flash sale across four shop processes', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> };
  const shops: ShopProcess[] = [];
  let apis: Api[];
  let admin: string;
  let counters: CounterStore;
  let connection: ReturnType<typeof createRedisConnection>;
  let db: pg.Pool;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createPostgresTestDatabaseUrl();
    const env = {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '8',
      REDIS_URL: redis.url,
      FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
      FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
      // one deployment: every process opens the secrets the others sealed
      FLOODGATE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    // the first migrates; the others start against a migrated database
    shops.push(await startShopProcess({ ...env, FLOODGATE_DATA_DIR: `/tmp/fg-${randomUUID()}` }, await freePort()));
    shops.push(...(await Promise.all([1, 2, 3].map(async () => startShopProcess({ ...env, FLOODGATE_DATA_DIR: `/tmp/fg-${randomUUID()}` }, await freePort())))));
    apis = shops.map((s) => createApi(s.url));
    admin = await createShopper(apis[0]!).adminToken(TEST_ADMIN);
    connection = createRedisConnection({ url: redis.url, name: 'four-processes-test', logger: silent });
    counters = createRedisCounterStore({ redis: connection, keyPrefix: 'floodgate:' });
    db = new pg.Pool({ connectionString: database.url, max: 2 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(shops.map((s) => s.kill()));
    await db?.end();
    if (connection) await closeRedisConnection(connection);
    await redis?.stop();
    await database?.drop();
  }, 60_000);

  const units = async (saleId: string) => {
    const { rows } = await db.query<{ status: string; units: string }>('select status, sum(quantity) as units from flash_sales.sale_reservations where sale_id = $1 group by status', [saleId]);
    const u = { held: 0, ordered: 0, sold: 0 };
    for (const r of rows) if (r.status in u) u[r.status as keyof typeof u] = Number(r.units);
    return u;
  };

  /** one seeded sale, from creation to drained; answers what the checks after it need */
  async function runSale(seed: number) {
    const random = seededRandom(seed);
    const shopper = createShopper(apis[0]!);
    const { variantId } = await shopper.createProduct(admin, { stock: STOCK + 2 });
    const created = await apis[seed % apis.length]!.post('/v1/admin/flash-sales', {
      variantId,
      price: { amount: 500, currency: 'USD' },
      quantity: STOCK,
      startsAt: new Date(Date.now() - 1_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      perCustomerLimit: 1,
      admissionRatePerSecond: 2 + Math.floor(random() * 6),
      reservationLeaseMs: 10_000,
      admissionTtlMs: ADMISSION_TTL_MS,
      allowGuests: true,
    }, { token: admin });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const saleId: string = created.body.id;

    const deadline = Date.now() + 70_000;
    let done = false;
    const orders: Array<{ token: string; orderId: string; shop: number }> = [];
    const statuses: number[] = [];
    const polls: PollObservation[] = [];
    const lapsed: string[] = [];
    /** buyers (pay plan) who lost their turn by being slower than the admission ttl */
    let slowBuyers = 0;
    const plans: Plan[] = Array.from({ length: CUSTOMERS }, () => {
      const roll = random();
      return roll < 0.55 ? 'pay' : roll < 0.75 ? 'decline' : roll < 0.9 ? 'abandon' : 'lapse';
    });
    const offset = Math.floor(random() * apis.length);
    const customer = async (i: number) => {
      const plan = plans[i]!;
      const at = (k: number) => apis[(offset + i + k) % apis.length]!;
      const token = await createShopper(at(0)).guestToken();
      const joined = await at(0).post(`/v1/flash-sales/${saleId}/queue`, undefined, { token });
      statuses.push(joined.status);
      if (joined.status !== 201) return;
      const poll = async () => {
        const startMs = Date.now();
        const polled = await at(0).get(`/v1/flash-sales/${saleId}/queue/${encodeURIComponent(joined.body.ticket)}`, { token });
        statuses.push(polled.status);
        if (polled.status === 200 && polled.body.state !== 'sold_out') polls.push({ position: polled.body.position, startMs, endMs: Date.now(), admitted: polled.body.state === 'admitted' });
        return polled;
      };
      const reserve = async (admission: string) => {
        const reserved = await at(1).post(`/v1/flash-sales/${saleId}/reservations`, { quantity: 1 }, { token, headers: { 'idempotency-key': randomUUID(), 'admission-token': admission } });
        statuses.push(reserved.status);
        return reserved;
      };
      while (!done && Date.now() < deadline) {
        let polled = await poll();
        if (polled.status === 200 && polled.body.state === 'admitted') {
          if (plan === 'lapse') {
            // past the admission's life (the token with it): a fresh token from a poll cannot revive the turn
            await new Promise((r) => setTimeout(r, ADMISSION_TTL_MS + 300));
            polled = await poll();
            // the others may have bought the last units meanwhile: then the ticket reads sold out and there is
            // no token to try; while the sale still sells, the ticket still reads admitted and its fresh token
            // must not revive the lapsed turn
            if (polled.body.state === 'admitted') {
              const refused = await reserve(polled.body.admissionToken);
              expect(refused.status, JSON.stringify(refused.body)).toBe(409);
              expect(refused.body.code).toBe('FLASH_SALE_ADMISSION_EXPIRED');
            } else {
              expect(polled.body.state, JSON.stringify(polled.body)).toBe('sold_out');
            }
            lapsed.push(token);
            return;
          }
          const reserved = await reserve(polled.body.admissionToken);
          // a shopper slower than the admission ttl (a loaded box) loses the turn like a lapse
          if (reserved.status === 409 && reserved.body.code === 'FLASH_SALE_ADMISSION_EXPIRED') {
            if (plan === 'pay') slowBuyers += 1;
            return void lapsed.push(token);
          }
          if (reserved.status === 201) {
            if (plan === 'abandon') return;
            const placed = await at(2).post('/v1/checkout', { reservationId: reserved.body.reservationId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken: plan === 'pay' ? 'tok_visa' : 'tok_declined' }, { token, headers: { 'idempotency-key': randomUUID() } });
            statuses.push(placed.status);
            expect(placed.status, JSON.stringify(placed.body)).toBe(202);
            orders.push({ token, orderId: placed.body.orderId, shop: (offset + i + 2) % apis.length });
            return;
          }
        }
        const wait = polled.status === 200 ? Math.min(polled.body.retryAfterMs ?? 500, 1_000) : 500;
        await new Promise((r) => setTimeout(r, wait));
      }
    };

    let running = CUSTOMERS;
    let samples = 0;
    const sampler = (async () => {
      while (!done && Date.now() < deadline) {
        const snapshot = await counters.snapshot(saleId);
        if (snapshot) {
          samples += 1;
          expect(snapshot.available + snapshot.held + snapshot.sold, `seed ${seed}: units conserved`).toBe(STOCK);
        }
        const u = await units(saleId);
        expect(u.held + u.ordered + u.sold).toBeLessThanOrEqual(STOCK);
        const snap = snapshot ?? { available: 1 };
        // drained: nothing held or pending, and either every unit sold or nobody left wanting one
        if (u.held + u.ordered === 0 && u.sold === STOCK) done = true;
        if (u.held + u.ordered === 0 && snap.available > 0 && samples > 5 && running === 0) done = true;
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    await Promise.all([...Array.from({ length: CUSTOMERS }, (_, i) => customer(i).finally(() => void running--)), sampler]);
    done = true;
    expect(Date.now(), `seed ${seed}: the sale did not drain in time`).toBeLessThan(deadline);
    return { seed, saleId, orders, statuses, polls, plans, slowBuyers, samples };
  }

  it('when twenty seeded sales run at once, customers buying, declined, walking away or lapsing on four processes, then each sale conserves its units, never oversells, holds limits and admits in order', async () => {
    const sales = await Promise.all(SEEDS.map(runSale));
    for (const { seed, saleId, orders, statuses, polls, plans, slowBuyers, samples } of sales) {
      expect(statuses.filter((s) => s >= 500), `seed ${seed}`).toEqual([]);
      expect(samples, `seed ${seed}`).toBeGreaterThan(0);
      expect(flashFifoCheck(polls, TICK_MS), `seed ${seed}`).toMatchObject({ status: 'passed' });

      // every acknowledged order is final (payment on any process), and what it says adds up
      const paidBy = new Map<string, number>();
      for (const { token, orderId, shop } of orders) {
        const order = await createShopper(apis[shop]!).settledOrder(token, orderId, 30_000);
        expect(['paid', 'payment_failed']).toContain(order.status);
        if (order.status === 'paid') paidBy.set(token, (paidBy.get(token) ?? 0) + 1);
      }
      const paid = [...paidBy.values()].reduce((a, b) => a + b, 0);
      expect(paid, `seed ${seed}: oversold`).toBeLessThanOrEqual(STOCK);
      for (const n of paidBy.values()) expect(n).toBeLessThanOrEqual(1);
      await expect.poll(async () => (await counters.snapshot(saleId))?.held, { timeout: 15_000 }).toBe(0);
      const snapshot = (await counters.snapshot(saleId))!;
      const u = await units(saleId);
      expect({ available: snapshot.available, held: snapshot.held, sold: snapshot.sold }, `seed ${seed}`).toEqual({ available: STOCK - u.held - u.ordered - u.sold, held: u.held, sold: u.ordered + u.sold });
      expect(u.sold).toBe(paid);
      // declined and lapsed units were sold again: with enough buyers who kept their turn, the whole stock is paid
      const buyers = plans.filter((p) => p === 'pay').length - slowBuyers;
      if (buyers >= STOCK) expect(paid, `seed ${seed}: undersold`).toBe(STOCK);
    }
  }, 180_000);
});
