// Flash-sale benchmark on real Redis + PostgreSQL: the same run's bare-Fastify ceiling (kept up all run: polls and
// sold-out reservations are measured in slices alternating with it, A B A B A B), then N guests
// join one sale of S units (joins/s), poll (polls/s), the sale sells out through reserve + checkout
// (reservations/s, orders/s, seconds to sell out, every order final), sold-out reservations (the
// answer nearly everyone gets), and the oversell check read back through the admin API.
//   node --import tsx bench/flash-sale.ts [--customers 100000] [--units 1000] [--duration 10] [--connections 20] [--workers 64] [--warmup 1] [--save]
// REDIS_URL (default redis://127.0.0.1:6379) is shared: keys live under the new sale's id, nothing is flushed.
import { parseArgs } from 'node:util';
import { benchTable, DEFAULT_WARMUP_SEC, exitWithHelpWhenAsked, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { measure, measureCeiling, measurePaired, type BenchRow } from './support/measure.js';
import { createPostgresTestDatabaseUrl } from '../test/support/databases.js';
import { driveSellOut, type SellOut } from './support/flash-sell-out.js';
import { createCounterStore } from '../src/platform/counters/create-counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../src/platform/redis/redis-connection.js';
import { deleteKeysUnder } from '../test/support/redis-keys.js';
import { jsonCaller } from './support/json-call.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    units: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    workers: { type: 'string', default: '64' },
    warmup: { type: 'string', default: String(DEFAULT_WARMUP_SEC) },
    save: { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const args = { customers: num('customers'), units: num('units'), duration: num('duration'), connections: num('connections'), workers: num('workers'), warmup: num('warmup'), save: values.save ?? false };
const opts = { duration: args.duration, connections: args.connections };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();
const admin = { email: 'bench-admin@example.com', password: 'bench-admin-password-1' };
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// the run's own namespace in the shared Redis, deleted at the end (a REDIS_KEY_PREFIX given by the caller is kept)
const ownPrefix = !process.env.REDIS_KEY_PREFIX;
const keyPrefix = process.env.REDIS_KEY_PREFIX || `fgbench-flash-${Date.now().toString(36)}`;

log(`bench:flash-sale — ${machineNote()}; ${args.customers} customers, ${args.units} units; Redis ${redisUrl}, a fresh PostgreSQL database`);
// the ceiling stays up all run: the poll and sold-out rows are measured in slices alternating with it
const hello = await startBenchTarget('hello');
const ceiling = await measureCeiling(opts, log, hello);
const paired = { ...opts, rounds: 3 };

const database = await createPostgresTestDatabaseUrl();
log('starting the shop (all-in-one on PostgreSQL + Redis counters)');
const shop = await startBenchTarget('shop', {
  DATABASE_URL: database.url,
  DATABASE_POOL_SIZE: '20',
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: keyPrefix,
  FLOODGATE_DEMO_PRODUCTS: '100',
  FLOODGATE_ADMIN_EMAIL: admin.email,
  FLOODGATE_ADMIN_PASSWORD: admin.password,
  BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
});
const rows: BenchRow[] = [];
let sellOut: SellOut | undefined;
let oversell = '';
let saleId: string | undefined;
try {
  const call = jsonCaller(shop.url);
  const adminToken = (await call('POST', '/v1/auth/login', admin)).body.accessToken as string;
  const products = (await call('GET', '/v1/products?limit=1')).body.items as Array<{ variants: Array<{ id: string }> }>;
  const variantId = products[0]!.variants[0]!.id;
  const level = (await call('GET', `/v1/admin/inventory/${variantId}`, undefined, adminToken)).body as { onHand: number };
  await call('PUT', `/v1/admin/inventory/${variantId}`, { onHand: level.onHand + args.units }, adminToken);
  const now = Date.now();
  const created = await call('POST', '/v1/admin/flash-sales', {
    variantId,
    price: { amount: 999, currency: 'USD' },
    quantity: args.units,
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    perCustomerLimit: 1,
    admissionRatePerSecond: 1_000,
    // long enough that the admitted customers' tokens still work when the sold-out answer is measured
    admissionTtlMs: 600_000,
    allowGuests: true,
  }, adminToken);
  if (created.status !== 201) throw new Error(`POST /v1/admin/flash-sales answered ${created.status}: ${JSON.stringify(created.body)}`);
  saleId = created.body.id as string;
  for (let i = 0; (await call('GET', `/v1/flash-sales/${saleId}`)).body.status !== 'live'; i++) {
    if (i > 100) throw new Error('the sale did not go live within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const base = `/v1/flash-sales/${saleId}`;

  const tokens: string[] = [];
  log(`creating ${args.customers} guest sessions`);
  rows.push(await measure(shop.url, {
    name: 'POST /v1/auth/guest', method: 'POST', path: '/v1/auth/guest', body: {}, amount: args.customers,
    onResponse: (status, body) => { if (status === 201) tokens.push((JSON.parse(body) as { accessToken: string }).accessToken); },
  }, { ...opts, duration: 3_600, serverPid: shop.pid }));

  const joined: Array<{ token: string; ticket: string; position: number }> = [];
  let nextJoin = 0;
  log(`${tokens.length} customers join the waiting room`);
  rows.push(await measure(shop.url, {
    name: 'POST …/queue (join)', method: 'POST', path: `${base}/queue`, body: {}, amount: tokens.length,
    // one request in flight per connection: the context carries which customer this answer belongs to
    setupRequest: (req, context) => {
      const token = tokens[nextJoin++ % tokens.length]!;
      context.token = token;
      return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
    },
    onResponse: (status, body, context) => {
      if (status !== 201 && status !== 200) return;
      const answer = JSON.parse(body) as { ticket: string; position: number };
      joined.push({ token: String(context.token), ticket: answer.ticket, position: answer.position });
    },
  }, { ...opts, duration: 3_600, serverPid: shop.pid }));
  const customers = joined.sort((a, b) => a.position - b.position);

  let nextPoll = 0;
  log(`measuring polls over ${customers.length} tickets (A B × ${paired.rounds} with the ceiling)`);
  rows.push((await measurePaired(hello, shop, {
    name: 'GET …/queue/{ticket} (poll)', path: `${base}/queue/x`, warmupSec: args.warmup,
    setupRequest: (req) => {
      const c = customers[nextPoll++ % customers.length]!;
      return { ...req, path: `${base}/queue/${encodeURIComponent(c.ticket)}`, headers: { ...req.headers, authorization: `Bearer ${c.token}` } };
    },
  }, paired)).row);

  log(`selling out: ${args.workers} workers walk the line in order (poll as told → reserve → checkout tok_visa → order final)`);
  sellOut = await driveSellOut({ url: shop.url, saleId, customers, workers: args.workers, adminToken, units: args.units, log });

  let nextReserve = 0;
  const admitted = sellOut.admissionTokens;
  if (admitted.length > 0) {
    log(`measuring reservations after the sell-out over ${admitted.length} admission tokens (the answer nearly everyone gets)`);
    rows.push((await measurePaired(hello, shop, {
      name: 'POST …/reservations (sold out)', method: 'POST', path: `${base}/reservations`, body: { quantity: 1 }, warmupSec: args.warmup,
      setupRequest: (req) => {
        const i = nextReserve++;
        const a = admitted[i % admitted.length]!;
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${a.token}`, 'admission-token': a.admissionToken, 'idempotency-key': `bench-sold-out-${i}` } };
      },
    }, paired)).row);
  }

  const detail = (await call('GET', `/v1/admin/flash-sales/${saleId}`, undefined, adminToken)).body as { counters: { sold: number; available: number } | null; reservations: Record<string, number> };
  const soldInDb = (detail.reservations.sold ?? 0) + (detail.reservations.ordered ?? 0);
  const over = Math.max(0, soldInDb - args.units, sellOut.paidUnits - args.units);
  oversell = `oversell ${over} (${sellOut.paidUnits} units paid by customers, PostgreSQL: ${detail.reservations.sold ?? 0} sold + ${detail.reservations.ordered ?? 0} ordered of ${args.units}; counters sold ${detail.counters?.sold ?? 'n/a'})`;
} catch (error) {
  for (const r of rows) log(`${r.endpoint}: ${JSON.stringify(r.statuses)}`);
  throw error;
} finally {
  await shop.stop();
  await hello.stop();
  await database.drop();
  // the shared Redis keeps nothing of the run (never a flush): under the run's own prefix, everything the shop kept
  // there (both sales' counters, limits, carts, page cache); under a prefix the caller chose, which other shops may
  // share, only this sale's keys, through the store's own scoped drop
  if (ownPrefix) {
    const redis = createRedisConnection({ url: redisUrl, name: 'bench-cleanup', logger: { info: () => {}, warn: () => {} } });
    await deleteKeysUnder(redis, `${keyPrefix}:`).finally(() => closeRedisConnection(redis));
  } else if (saleId) {
    const counters = createCounterStore({ redisUrl, keyPrefix: `${keyPrefix}:`, logger: { info: () => {}, warn: (obj) => log(`redis: ${JSON.stringify(obj)}`) } });
    await counters.store.drop(saleId).finally(() => counters.store.close());
  }
}

console.log(`\nbench:flash-sale — ${new Date().toISOString()} — ${machineNote()}`);
console.log(`${args.customers} customers, ${args.units} units; ${args.duration} s per measured endpoint after ${args.warmup} s of warm-up, ${args.connections} connections; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows, { 'POST …/reservations (sold out)': 'refused by design, counted as non-2xx: 409 FLASH_SALE_SOLD_OUT, or 429 FLASH_SALE_LIMIT_REACHED (most: the tokens are the buyers\', at their limit)' }));
if (sellOut) console.log(`\n${sellOut.summary}`);
console.log(`\n${oversell}`);
if (args.save) log(`\nsaved ${await saveResult('flash-sale', { date: new Date().toISOString(), machine: machineNote(), load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows, sellOut: sellOut?.figures, oversell })}`);
