import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api, type ApiResponse } from '../support/api.js';
import { serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const postgres = await serviceAvailable('postgres');

/** when, relative to the checkout's answer, the admin's cancel is sent */
const ORDERS_PER_TOKEN = 20;
/** the i-th cancel waits i²·STAGGER_MS: dense at the start, out to ~3 s (past tok_slow's 1.5 s charge) */
const STAGGER_MS = 8;

/**
 * What keeps the saga from being settled: pending orders and payments of the test's orders, and every
 * unpublished outbox row (parked ones included, with their state and last error).
 */
async function unsettled(k: Kysely<unknown>, ids: string[]) {
  const orders = await sql<object>`select id, status, updated_at from orders.orders where id = any(${ids}) and status = 'pending'`.execute(k);
  const payments = await sql<object>`select order_id, status, attempts, next_attempt_at, lease_expires_at, last_error from payments.payments
    where order_id = any(${ids}) and status = 'pending'`.execute(k);
  const outbox = await sql<object>`select * from (
      select 'payments' as outbox, type, payload, attempts, available_at, parked_at, last_error from payments.outbox where published_at is null
      union all select 'orders', type, payload, attempts, available_at, parked_at, last_error from orders.outbox where published_at is null
      union all select 'inventory', type, payload, attempts, available_at, parked_at, last_error from inventory.outbox where published_at is null) o`.execute(k);
  return { orders: orders.rows, payments: payments.rows, outbox: outbox.rows };
}

/**
 * Sends a request again while the shop sheds it (503 + Retry-After, a documented answer on a loaded
 * machine; a shed request wrote nothing), as any client does: the checkout keeps its Idempotency-Key,
 * so a retry can only ever answer for the same order. Anything else is the answer under test.
 */
async function unlessShed(send: () => Promise<ApiResponse>, attempts = 5): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (res.status !== 503 || attempt === attempts) return res;
    const retryAfterS = Number(res.headers.get('retry-after') ?? 1);
    await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(retryAfterS) ? retryAfterS : 1, 2) * 1_000));
  }
}

interface Placed { orderId: string; variantId: string; token: 'tok_visa' | 'tok_slow'; cancelAfterMs: number | 'paid' }

/**
 * An admin cancel races the payment of the order it cancels: sent at once, while the PSP holds a
 * slow charge, and right after the capture. Whatever the interleaving, the admin gets 200 or a 409
 * with a code, never 500, and money and stock end consistent with the order's final status.
 */
for (const engine of ['pglite', 'postgres'] as const) {
  describe.skipIf(engine === 'postgres' && !postgres)(`admin cancel racing the payment on ${engine}`, () => {
    const errors: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) if (JSON.parse(line).level >= 50) errors.push(line);
        done();
      },
    });
    let shop: TestShop;
    let api: Api;
    let admin: string;

    beforeAll(async () => {
      shop = await startTestShop(engine, { LOG_LEVEL: 'warn' }, { logDestination: destination });
      api = createApi(shop.url);
      admin = await createShopper(api).adminToken(shop.admin);
    }, 120_000);
    afterAll(() => shop?.dispose());

    it('when admins cancel orders immediately, mid-charge and just after capture, then every answer is 200 or 409 and cancelled money is refunded once with stock conserved', { timeout: 150_000 }, async () => {
      const shopper = createShopper(api);
      const customer = await shopper.register();
      const plan: Array<Pick<Placed, 'token' | 'cancelAfterMs'>> = [];
      for (const token of ['tok_visa', 'tok_slow'] as const) {
        for (let i = 0; i < ORDERS_PER_TOKEN; i++) plan.push({ token, cancelAfterMs: i * i * STAGGER_MS });
        plan.push({ token, cancelAfterMs: 'paid' }, { token, cancelAfterMs: 'paid' });
      }
      // half the orders have a product each, half share one (their commits, releases and restocks meet on one row)
      const STOCK = 100;
      const shared = await shopper.createProduct(admin, { stock: STOCK });
      const variants = await Promise.all(plan.map((_, i) => (i % 2 === 0 ? shopper.createProduct(admin, { stock: STOCK }) : shared)));
      const carts = await Promise.all(variants.map((v) => shopper.cartWith(customer.token, v.variantId, 1)));

      const cancel = (orderId: string) => unlessShed(() => api.post(`/v1/admin/orders/${orderId}/cancel`, {}, { token: admin }));
      const answers = await Promise.all(plan.map(async (p, i) => {
        const key = randomUUID();
        const checkout = await unlessShed(() => shopper.checkout(customer.token, carts[i]!, p.token, key));
        expect(checkout.status).toBe(202);
        const orderId: string = checkout.body.orderId;
        if (p.cancelAfterMs === 'paid') {
          // right after the capture lands: the saga's refund/commit work may still be running
          await shopper.settledOrder(customer.token, orderId);
        } else if (p.cancelAfterMs > 0) {
          // staggering the cancels spreads them over the payment's life; nothing waits on it
          await new Promise((r) => setTimeout(r, p.cancelAfterMs as number));
        }
        const res = await cancel(orderId);
        return { ...p, orderId, variantId: variants[i]!.variantId, status: res.status, body: res.body };
      }));

      const unexpected = answers.filter((a) => a.status !== 200 && a.status !== 409);
      expect({ unexpected: unexpected.map((a) => ({ status: a.status, body: a.body })), errors }).toEqual({ unexpected: [], errors: [] });
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code, JSON.stringify(a.body)).toMatch(/^ORDERS_/);

      // the saga settles: no order pending, no payment pending, nothing left in the outboxes
      const k = shop.database.kysely;
      const ids = answers.map((a) => a.orderId);
      // the poll answers the stuck rows themselves (and any error logged meanwhile), so a saga that
      // does not settle says where it stopped
      await expect.poll(async () => ({ ...(await unsettled(k, ids)), errors }), { timeout: 60_000, interval: 100 })
        .toEqual({ orders: [], payments: [], outbox: [], errors: [] });

      const sold = new Map<string, number>();
      const { rows: paths } = await sql<{ path: string; n: number }>`select coalesce(h.from_status, '') || '>' || o.status || ':' || coalesce(p.status, 'none') as path, count(*)::int as n
        from orders.orders o left join payments.payments p on p.order_id = o.id::text left join orders.status_history h on h.order_id = o.id and h.to_status = o.status
        where o.id = any(${ids}) group by 1 order by 1`.execute(k);
      if (process.env.FLOODGATE_TEST_RACE_PATHS) console.log(JSON.stringify(paths), answers.map((a) => a.status).join(','));
      for (const a of answers) {
        const order = (await sql<{ status: string }>`select status from orders.orders where id = ${a.orderId}`.execute(k)).rows[0]!;
        const payment = (await sql<{ status: string }>`select status from payments.payments where order_id = ${a.orderId}`.execute(k)).rows[0];
        const refunds = (await sql<{ n: number }>`select count(*)::int as n from payments.outbox where type = 'payment.refunded' and payload->>'orderId' = ${a.orderId}`.execute(k)).rows[0]!.n;
        const where = `${a.token} cancelled after ${a.cancelAfterMs} → ${a.status} ${JSON.stringify(a.body)}`;
        if (a.status === 200) expect(order.status, where).toBe('cancelled');
        if (order.status === 'cancelled') {
          // a cancelled order keeps no money: anything captured was refunded, exactly once
          expect(payment?.status ?? 'none', where).not.toBe('captured');
          expect(refunds, where).toBe(payment?.status === 'refunded' ? 1 : 0);
        } else {
          expect(order.status, where).toBe('paid');
          expect(payment?.status, where).toBe('captured');
          expect(refunds, where).toBe(0);
        }
        sold.set(a.variantId, (sold.get(a.variantId) ?? 0) + (order.status === 'cancelled' ? 0 : 1));
      }
      // stock is conserved: every variant is down by exactly its paid orders, nothing still held
      for (const [variantId, n] of sold) {
        expect(await shopper.stock(admin, variantId), variantId).toMatchObject({ onHand: STOCK - n, reserved: 0, available: STOCK - n });
      }
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    });
  });
}
