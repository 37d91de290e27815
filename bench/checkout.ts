// Write-path benchmark: the same run's bare-Fastify ceiling, then guest → cart → item → checkout → order,
// then how long the acknowledged orders take to reach a final status.
//   node --import tsx bench/checkout.ts [--duration 10] [--connections 20] [--products 3000] [--save]
import { setTimeout as sleep } from 'node:timers/promises';
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { measure, measureCeiling, type BenchRow } from './support/measure.js';
import { jsonCaller } from './support/json-call.js';
import { peakRssFromHere } from './support/proc-stats.js';

const args = benchArgs({ duration: 10, connections: 20 });
const opts = { duration: args.duration, connections: args.connections };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();
const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);

/** every database statement the shop has run so far (floodgate_db_query_duration_seconds_count, all labels) */
async function statementsSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('floodgate_db_query_duration_seconds_count')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}

log(`bench:checkout — ${machineNote()}; ${args.duration} s per endpoint, ${args.connections} connections`);
const ceiling = await measureCeiling(opts, log);

log('starting the shop (all-in-one, temp data dir, demo catalog)');
const shop = await startBenchTarget('shop', args.products ? { FLOODGATE_DEMO_PRODUCTS: String(args.products) } : {});
const shopOpts = { ...opts, serverPid: shop.pid };
const rows: BenchRow[] = [];
let settlement = '';
let statementsNote = '';
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
  const guest = await call('POST', '/v1/auth/guest', {});
  const token = guest.body.accessToken as string;
  if (guest.status !== 201 || !token) throw new Error(`POST /v1/auth/guest answered ${guest.status}`);
  const auth = { authorization: `Bearer ${token}` };

  log('measuring POST /v1/auth/guest');
  rows.push(await measure(shop.url, { name: 'POST /v1/auth/guest', method: 'POST', path: '/v1/auth/guest', body: {} }, shopOpts));

  const carts: string[] = [];
  log('measuring POST /v1/carts');
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/carts',
      method: 'POST',
      path: '/v1/carts',
      headers: auth,
      body: {},
      // one guest owns every cart, and an owner holds at most CARTS_MAX_OPEN_PER_CUSTOMER (10,000 at most) open
      // carts: the run stops short of that cap, so every answer counted is a creation, not the cap's 409
      amount: 9_000,
      onResponse: (status, body) => {
        if (status === 201) carts.push((JSON.parse(body) as { id: string }).id);
      },
    }, shopOpts),
  );

  const filled: string[] = [];
  let nextCart = 0;
  log(`measuring POST /v1/carts/{id}/items over ${carts.length} carts`);
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/carts/{id}/items',
      method: 'POST',
      path: '/v1/carts/x/items',
      headers: auth,
      body: {},
      amount: carts.length,
      setupRequest: (req) => {
        const i = nextCart++;
        return { ...req, path: `/v1/carts/${carts[i % carts.length]}/items`, body: JSON.stringify({ variantId: variants[i % variants.length], quantity: 1 }) };
      },
      onResponse: (status, body) => {
        if (status === 201) filled.push((JSON.parse(body) as { id: string }).id);
      },
    }, shopOpts),
  );

  if (filled.length === 0) throw new Error('no cart could be filled; see the statuses of POST /v1/carts/{id}/items above');
  let nextView = 0;
  log('measuring GET /v1/carts/{id}');
  rows.push(
    await measure(shop.url, {
      name: 'GET /v1/carts/{id}',
      path: '/v1/carts/x',
      headers: auth,
      warmupSec: 1,
      setupRequest: (req) => ({ ...req, path: `/v1/carts/${filled[nextView++ % filled.length]}` }),
    }, shopOpts),
  );

  const orders: string[] = [];
  let nextCheckout = 0;
  const runTag = Date.now().toString(36);
  const beforeCheckout = await statementsSoFar(shop.url);
  const checkoutStarted = performance.now();
  log(`measuring POST /v1/checkout over ${filled.length} filled carts`);
  rows.push(
    await measure(shop.url, {
      name: 'POST /v1/checkout (202)',
      method: 'POST',
      path: '/v1/checkout',
      headers: auth,
      body: {},
      amount: filled.length,
      setupRequest: (req) => {
        const i = nextCheckout++;
        const body = {
          cartId: filled[i % filled.length],
          email: 'bench@example.com',
          shippingAddress: { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' },
          paymentToken: 'tok_visa',
        };
        return { ...req, headers: { ...req.headers, 'idempotency-key': `bench-${runTag}-${i}` }, body: JSON.stringify(body) };
      },
      onResponse: (status, body) => {
        if (status === 202) orders.push((JSON.parse(body) as { orderId: string }).orderId);
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
    const still: string[] = [];
    for (let i = 0; i < pending.length; i += 20) {
      const batch = pending.slice(i, i + 20);
      polls += batch.length;
      const answers = await Promise.all(batch.map((id) => call('GET', `/v1/orders/${id}`, undefined, token)));
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
    headers: auth,
    warmupSec: 1,
    setupRequest: (req) => ({ ...req, path: `/v1/orders/${orders[nextOrder++ % orders.length]}` }),
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
}

console.log(`\nbench:checkout — ${new Date().toISOString()} — ${machineNote()}`);
console.log(`${args.duration} s per endpoint, ${args.connections} connections, autocannon in this process, each server in its own process; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows));
console.log(`\nsettlement: ${settlement}`);
if (statementsNote) console.log(statementsNote);
if (rssNote) console.log(rssNote);
if (args.save) log(`\nsaved ${await saveResult('checkout', { date: new Date().toISOString(), machine: machineNote(), load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows, settlement, statements: statementsNote, readyRssMiB: rssWindow?.atStartMiB, peakRssMiB: peakRss })}`);
