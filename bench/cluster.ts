// The production topology through nginx vs the all-in-one, same run, same backends (PostgreSQL, Redis,
// RabbitMQ), each against the same run's bare-Fastify ceiling: product list, add-to-cart, checkout.
//   node --import tsx bench/cluster.ts [--duration 10] [--connections 20] [--products 300] [--save]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureDatabase } from '../src/runtime/cluster/check-services.js';
import { startClusterProcess } from '../test/support/cluster-process.js';
import { freePort } from '../test/support/private-postgres.js';
import { deleteShopTopology } from '../test/support/rabbitmq-topology.js';
import { TEST_SERVICES } from '../test/support/services.js';
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { jsonCaller } from './support/json-call.js';
import { measure, measureCeiling, type BenchRow, type MeasureOptions } from './support/measure.js';

const args = benchArgs({ duration: 10, connections: 20 });
const products = args.products ?? 300;
const opts = { duration: args.duration, connections: args.connections };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();
const tag = randomBytes(4).toString('hex');
const ADDRESS = { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' };

/** product list, then carts, add-to-cart and checkout over the carts just made; rows named `<target>: <endpoint>` */
async function scenario(target: string, url: string, o: MeasureOptions): Promise<BenchRow[]> {
  const call = jsonCaller(url);
  const rows: BenchRow[] = [];
  const variants: string[] = [];
  const list = await call('GET', '/v1/products?limit=100');
  for (const p of (list.body.items as Array<{ variants: Array<{ id: string; available: number }> }>) ?? []) for (const v of p.variants) if (v.available > 0) variants.push(v.id);
  if (variants.length === 0) throw new Error(`${target}: no variant in stock (GET /v1/products answered ${list.status})`);
  const guest = await call('POST', '/v1/auth/guest', {});
  const auth = { authorization: `Bearer ${String(guest.body.accessToken)}` };

  log(`${target}: GET /v1/products?limit=20`);
  rows.push(await measure(url, { name: `${target}: GET /v1/products?limit=20`, path: '/v1/products?limit=20', warmupSec: 1 }, o));

  const carts: string[] = [];
  log(`${target}: POST /v1/carts`);
  rows.push(await measure(url, {
    name: `${target}: POST /v1/carts`, method: 'POST', path: '/v1/carts', headers: auth, body: {},
    onResponse: (status, body) => void (status === 201 && carts.push((JSON.parse(body) as { id: string }).id)),
  }, o));

  const filled: string[] = [];
  let nextCart = 0;
  log(`${target}: POST /v1/carts/{id}/items over ${carts.length} carts`);
  rows.push(await measure(url, {
    name: `${target}: POST /v1/carts/{id}/items`, method: 'POST', path: '/v1/carts/x/items', headers: auth, body: {}, amount: carts.length,
    setupRequest: (req) => {
      const i = nextCart++;
      return { ...req, path: `/v1/carts/${carts[i % carts.length]}/items`, body: JSON.stringify({ variantId: variants[i % variants.length], quantity: 1 }) };
    },
    onResponse: (status, body) => void (status === 201 && filled.push((JSON.parse(body) as { id: string }).id)),
  }, o));

  let nextCheckout = 0;
  log(`${target}: POST /v1/checkout over ${filled.length} filled carts`);
  rows.push(await measure(url, {
    name: `${target}: POST /v1/checkout (202)`, method: 'POST', path: '/v1/checkout', headers: auth, body: {}, amount: filled.length,
    setupRequest: (req) => {
      const i = nextCheckout++;
      const body = { cartId: filled[i % filled.length], email: 'bench@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' };
      return { ...req, headers: { ...req.headers, 'idempotency-key': `bench-${tag}-${target}-${i}` }, body: JSON.stringify(body) };
    },
  }, o));
  return rows;
}

async function dropDatabase(name: string) {
  const client = new pg.Client({ connectionString: TEST_SERVICES.postgres });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}

log(`bench:cluster — ${machineNote()}; ${args.duration} s per endpoint, ${args.connections} connections, ${products} demo products`);
const ceiling = await measureCeiling(opts, log);
const backends = { REDIS_URL: TEST_SERVICES.redis, AMQP_URL: TEST_SERVICES.rabbitmq, FLOODGATE_DEMO_PRODUCTS: String(products), LOG_LEVEL: 'warn' };
const rows: BenchRow[] = [];

// the all-in-one on the same PostgreSQL, Redis and RabbitMQ: the difference is the topology, not the engines
const aioDatabase = `floodgate_bench_aio_${tag}`;
const aioUrl = Object.assign(new URL(TEST_SERVICES.postgres), { pathname: `/${aioDatabase}` }).toString();
await ensureDatabase(aioUrl);
log('starting the all-in-one (PostgreSQL, Redis, RabbitMQ; demo catalog)');
const aio = await startBenchTarget('shop', { ...backends, DATABASE_URL: aioUrl, AMQP_EXCHANGE: `floodgate.bench-aio-${tag}`, BENCH_LOG_LEVEL: 'warn' });
try {
  rows.push(...(await scenario('all-in-one', aio.url, opts)));
} finally {
  await aio.stop();
  await dropDatabase(aioDatabase);
  // the broker is shared: its queues and exchange go with the run
  await deleteShopTopology(`floodgate.bench-aio-${tag}`);
}

const dir = await mkdtemp(join(tmpdir(), 'floodgate-bench-cluster-'));
const name = `bench-${tag}`;
log('starting the cluster (npm run cluster: nginx, catalog ×2, flash-sales ×2, one of each other service, 4 worker processes, fake PSP)');
const cluster = await startClusterProcess({
  // the edge's per-address limit is for shoppers, not for one load generator
  args: ['--port', String(await freePort()), '--dir', dir, '--name', name, '--catalog-read-rate', '1000000r/s'],
  env: { ...backends, CLUSTER_POSTGRES_URL: TEST_SERVICES.postgres },
  timeoutMs: 900_000,
});
let clusterProcesses = 0;
try {
  clusterProcesses = cluster.entries.length;
  rows.push(...(await scenario('cluster', cluster.url, opts)));
} finally {
  await cluster.stop();
  await dropDatabase(`floodgate_${name.replace(/-/g, '_')}`);
  await deleteShopTopology(`floodgate.${name}`);
  await rm(dir, { recursive: true, force: true });
}

const byEndpoint = (target: string) => new Map(rows.filter((r) => r.endpoint.startsWith(`${target}: `)).map((r) => [r.endpoint.slice(target.length + 2), r]));
const [aioRows, clusterRows] = [byEndpoint('all-in-one'), byEndpoint('cluster')];
const notes = Object.fromEntries([...clusterRows].map(([endpoint, r]) => [`cluster: ${endpoint}`, `${(r.rps / (aioRows.get(endpoint)?.rps ?? NaN)).toFixed(2)}× the all-in-one`]));

console.log(`\nbench:cluster — ${new Date().toISOString()} — ${machineNote()}`);
console.log(`${args.duration} s per endpoint, ${args.connections} connections, autocannon in this process; cluster of ${clusterProcesses} processes; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows, notes));
if (args.save) log(`\nsaved ${await saveResult('cluster', { date: new Date().toISOString(), machine: machineNote(), load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows })}`);
