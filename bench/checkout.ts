// Write-path benchmark: the same run's bare-Fastify ceiling, then guest → cart → item → checkout → order,
// then how long the acknowledged orders take to reach a final status.
//   node --import tsx bench/checkout.ts [--duration 10] [--connections 20] [--rounds 3] [--products 3000] [--embedded] [--warmup 1] [--save]
// The shop runs on the production topology's data layer by default: a fresh PostgreSQL database (dropped at the
// end) and Redis (REDIS_URL, default redis://127.0.0.1:6379; the run's keys live under a prefix of its own and are
// deleted). `--embedded` runs it all-in-one instead: PGlite in a temp dir and the in-process working copies.
// Guests each own a few carts, as shoppers do. The add is measured in slices alternating with the ceiling
// (A B A B A B, `--rounds`): each add goes to a cart in turn with a different variant than its last, so carts
// are fresh for the first pass and prices are those of a catalog of thousands of variants. Each slice pair is printed
// as it ends; `--warmup <s>` (default 1) is the unrecorded load before each endpoint: after one second the shop's
// first add slice is still paying for V8's optimising compiler, so `--warmup 5` measures the warm capacity.
import { setTimeout as sleep } from 'node:timers/promises';
import { createPostgresTestDatabaseUrl } from '../test/support/databases.js';
import { deleteKeysUnder } from '../test/support/redis-keys.js';
import { serviceAvailable, TEST_SERVICES } from '../test/support/services.js';
import { closeRedisConnection, createRedisConnection } from '../src/platform/redis/redis-connection.js';
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { measure, measureCeiling, measurePaired, type BenchRow } from './support/measure.js';
import { jsonCaller } from './support/json-call.js';
import { peakRssFromHere } from './support/proc-stats.js';

const args = benchArgs({ duration: 10, connections: 20 });
const opts = { duration: args.duration, connections: args.connections };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();
const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);
/** carts per guest: a shopper's few, not one owner's thousands (whose open-cart count each creation would pay for) */
const CARTS_PER_GUEST = 4;
/** the token of the request a connection has in flight (autocannon keeps one context per connection, one request at a time) */
const tokenOf = (context: Record<string, unknown>) => context.token as string;

/** every database statement the shop has run so far (floodgate_db_query_duration_seconds_count, all labels) */
async function statementsSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('floodgate_db_query_duration_seconds_count')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const topology = args.embedded ? 'all-in-one, embedded PGlite and in-process working copies' : `PostgreSQL (a fresh database) + Redis ${redisUrl}`;
log(`bench:checkout — ${machineNote()}; ${topology}; ${args.duration} s per endpoint, ${args.connections} connections`);
if (!args.embedded && !(await serviceAvailable('postgres') && (process.env.REDIS_URL || (await serviceAvailable('redis'))))) {
  log(`bench:checkout runs the shop on PostgreSQL (${TEST_SERVICES.postgres}) and Redis (${redisUrl}) and one of them does not answer:`);
  log('start them (see .ci/run for the commands), point FLOODGATE_TEST_POSTGRES_URL / REDIS_URL at yours, or add --embedded for the all-in-one');
  process.exit(1);
}
// the ceiling stays up all run: the add is measured in slices alternating with it
const hello = await startBenchTarget('hello');
const ceiling = await measureCeiling(opts, log, hello);

const database = args.embedded ? undefined : await createPostgresTestDatabaseUrl();
const keyPrefix = `fgbench-checkout-${Date.now().toString(36)}`;
log(`starting the shop (${topology}, demo catalog)`);
const shop = await startBenchTarget('shop', {
  ...(args.products ? { FLOODGATE_DEMO_PRODUCTS: String(args.products) } : {}),
  ...(database ? { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '20', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}),
});
const shopOpts = { ...opts, serverPid: shop.pid };
const rows: BenchRow[] = [];
let settlement = '';
let statementsNote = '';
let addStatementsNote = '';
let rssNote = '';
// the start's own peak (initdb, migrations, the seed) is not the purchases': measured from here
const rssWindow = shop.pid ? peakRssFromHere(shop.pid) : undefined;
let peakRss: number | undefined;
try {
  const call = jsonCaller(shop.url);
  // spread purchases over many variants so stock never runs out during the run
  const variants: string[] = [];
  let cursor: unknown = null;
  for (let page = 0; page < 20 && variants.length < 2000; page++) {
    const list = await call('GET', `/v1/products?limit=50${typeof cursor === 'string' ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const p of (list.body.items as Array<{ variants: Array<{ id: string; available: number }> }>) ?? []) {
      for (const v of p.variants) if (v.available > 0) variants.push(v.id);
    }
    cursor = list.body.nextCursor;
    if (typeof cursor !== 'string') break;
  }
  if (variants.length === 0) throw new Error('the shop has no variant in stock');

  const guests: string[] = [];
  log('measuring POST /v1/auth/guest');
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/auth/guest',
      method: 'POST',
      path: '/v1/auth/guest',
      body: {},
      onResponse: (status, body) => {
        if (status === 201) guests.push((JSON.parse(body) as { accessToken: string }).accessToken);
      },
    }, shopOpts),
  );
  if (guests.length === 0) throw new Error(`POST /v1/auth/guest created no guest (statuses ${JSON.stringify(rows.at(-1)?.statuses)})`);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** each cart with its owner's token */
  const carts: Array<{ id: string; token: string }> = [];
  let nextGuest = 0;
  log('measuring POST /v1/carts');
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/carts',
      method: 'POST',
      path: '/v1/carts',
      body: {},
      // CARTS_PER_GUEST carts per guest, then the next guest's
      amount: guests.length * CARTS_PER_GUEST,
      setupRequest: (req, context) => {
        const token = guests[Math.floor(nextGuest++ / CARTS_PER_GUEST)]!;
        context.token = token;
        return { ...req, headers: { ...req.headers, ...bearer(token) } };
      },
      onResponse: (status, body, context) => {
        if (status === 201) carts.push({ id: (JSON.parse(body) as { id: string }).id, token: tokenOf(context) });
      },
    }, shopOpts),
  );
  if (carts.length === 0) throw new Error(`POST /v1/carts created no cart (statuses ${JSON.stringify(rows.at(-1)?.statuses)})`);

  const filled = new Map<string, string>();
  let nextCart = 0;
  const beforeAdds = await statementsSoFar(shop.url);
  log(`measuring POST /v1/carts/{id}/items over ${carts.length} carts, ${variants.length} variants (paired with the ceiling)`);
  const added = await measurePaired(hello, shop, {
    name: 'POST /v1/carts/{id}/items',
    method: 'POST',
    path: '/v1/carts/x/items',
    body: {},
    warmupSec: args.warmup,
    setupRequest: (req, context) => {
      const i = nextCart++;
      const cart = carts[i % carts.length]!;
      context.token = cart.token;
      return { ...req, path: `/v1/carts/${cart.id}/items`, headers: { ...req.headers, ...bearer(cart.token) }, body: JSON.stringify({ variantId: variants[i % variants.length], quantity: 1 }) };
    },
    onResponse: (status, body, context) => {
      if (status === 201) filled.set((JSON.parse(body) as { id: string }).id, tokenOf(context));
    },
  }, { ...opts, rounds: args.rounds });
  rows.push(added.row);
  // every add the shop answered, the warm-up's included (nextCart counts the requests sent; all answered)
  addStatementsNote = `database statements per add (its flush and any price lookup included): ${((await statementsSoFar(shop.url) - beforeAdds) / Math.max(1, nextCart)).toFixed(2)}`;

  if (filled.size === 0) throw new Error('no cart could be filled; see the statuses of POST /v1/carts/{id}/items above');
  const filledCarts = [...filled].map(([id, token]) => ({ id, token }));
  let nextView = 0;
  log('measuring GET /v1/carts/{id}');
  rows.push(
    await measure(shop.url, {
      name: 'GET /v1/carts/{id}',
      path: '/v1/carts/x',
      warmupSec: args.warmup,
      setupRequest: (req) => {
        const cart = filledCarts[nextView++ % filledCarts.length]!;
        return { ...req, path: `/v1/carts/${cart.id}`, headers: { ...req.headers, ...bearer(cart.token) } };
      },
    }, shopOpts),
  );

  /** each order with its owner's token */
  const orders: Array<{ id: string; token: string }> = [];
  let nextCheckout = 0;
  const runTag = Date.now().toString(36);
  const beforeCheckout = await statementsSoFar(shop.url);
  const checkoutStarted = performance.now();
  log(`measuring POST /v1/checkout over ${filledCarts.length} filled carts`);
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/checkout (202)',
      method: 'POST',
      path: '/v1/checkout',
      body: {},
      amount: filledCarts.length,
      setupRequest: (req, context) => {
        const i = nextCheckout++;
        const cart = filledCarts[i % filledCarts.length]!;
        context.token = cart.token;
        const body = {
          cartId: cart.id,
          email: 'bench@example.com',
          shippingAddress: { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' },
          paymentToken: 'tok_visa',
        };
        return { ...req, headers: { ...req.headers, ...bearer(cart.token), 'idempotency-key': `bench-${runTag}-${i}` }, body: JSON.stringify(body) };
      },
      onResponse: (status, body, context) => {
        if (status === 202) orders.push({ id: (JSON.parse(body) as { orderId: string }).orderId, token: tokenOf(context) });
      },
    }, shopOpts),
  );
  const checkoutSeconds = (performance.now() - checkoutStarted) / 1000;

  if (orders.length === 0) throw new Error(`no checkout was answered 202 (statuses ${JSON.stringify(rows.at(-1)?.statuses)})`);
  // followed before the order reads are measured: those reads then meet no settlement work, and the time to a
  // final status is not stretched by them
  log(`following ${orders.length} orders to a final status`);
  let polls = 0;
  const deadline = performance.now() + 180_000;
  let pending = [...orders];
  const final = new Map<string, number>();
  while (pending.length > 0 && performance.now() < deadline) {
    const still: typeof orders = [];
    for (let i = 0; i < pending.length; i += 20) {
      const batch = pending.slice(i, i + 20);
      polls += batch.length;
      const answers = await Promise.all(batch.map((o) => call('GET', `/v1/orders/${o.id}`, undefined, o.token)));
      answers.forEach((a, j) => {
        const status = String(a.body.status);
        if (FINAL.has(status)) final.set(status, (final.get(status) ?? 0) + 1);
        else still.push(batch[j]!);
      });
    }
    pending = still;
    if (pending.length > 0) await sleep(500);
  }
  const endToEnd = (performance.now() - checkoutStarted) / 1000;
  settlement =
    `${orders.length} orders acknowledged in ${checkoutSeconds.toFixed(1)} s; ` +
    `${orders.length - pending.length} final (${[...final].map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}) ` +
    `${endToEnd.toFixed(1)} s after the first checkout ⇒ ${((orders.length - pending.length) / endToEnd).toFixed(1)} orders/s end to end` +
    (pending.length ? `; ${pending.length} STILL PENDING after 180 s` : '');
  const settledStatements = await statementsSoFar(shop.url);
  let nextOrder = 0;
  log('measuring GET /v1/orders/{id}');
  const beforeReads = await statementsSoFar(shop.url);
  const readRow = await measure(shop.url, {
    name: 'GET /v1/orders/{id}',
    path: '/v1/orders/x',
    warmupSec: args.warmup,
    setupRequest: (req) => {
      const order = orders[nextOrder++ % orders.length]!;
      return { ...req, path: `/v1/orders/${order.id}`, headers: { ...req.headers, ...bearer(order.token) } };
    },
  }, shopOpts);
  rows.push(readRow);
  // what a paid order costs the database, from its checkout to its final status, without the polls that watched it
  const perRead = (await statementsSoFar(shop.url) - beforeReads) / Math.max(1, nextOrder);
  const perOrder = (settledStatements - beforeCheckout - polls * perRead) / orders.length;
  statementsNote = `database statements per acknowledged order, checkout to final status: ${perOrder.toFixed(1)} (an order read: ${perRead.toFixed(1)})`;

  peakRss = rssWindow?.peakMiB();
  rssNote = rssWindow?.describe('the purchases') ?? '';
} catch (error) {
  // show what was measured before the failure: the statuses say why
  for (const r of rows) log(`${r.endpoint}: ${JSON.stringify(r.statuses)}`);
  throw error;
} finally {
  await shop.stop();
  await hello.stop();
  if (database) {
    await database.drop();
    const redis = createRedisConnection({ url: redisUrl, name: 'bench-cleanup', logger: { info: () => {}, warn: () => {} } });
    await deleteKeysUnder(redis, `${keyPrefix}:`).finally(() => closeRedisConnection(redis));
  }
}

console.log(`\nbench:checkout — ${new Date().toISOString()} — ${machineNote()} — ${topology}`);
console.log(`${args.duration} s per endpoint after ${args.warmup} s of warm-up, ${args.connections} connections, autocannon in this process, each server in its own process; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows));
console.log(`\nsettlement: ${settlement}`);
if (addStatementsNote) console.log(addStatementsNote);
if (statementsNote) console.log(statementsNote);
if (rssNote) console.log(rssNote);
if (args.save) log(`\nsaved ${await saveResult('checkout', { date: new Date().toISOString(), machine: machineNote(), topology, load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows, settlement, statements: statementsNote, addStatements: addStatementsNote, readyRssMiB: rssWindow?.atStartMiB, peakRssMiB: peakRss })}`);
