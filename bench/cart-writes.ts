// Add-to-cart in steady state: the same run's bare-Fastify ceiling, then POST /v1/carts/{id}/items over a pool of
// carts with a few hot variants (their prices cached, as for a popular product), so the figure is the cart write
// itself — the working copy and its write-back to PostgreSQL (docs/carts.md) — not cold caches.
// `bench:checkout` measures the whole purchase path instead (one add per cart, a different variant each).
//   node --import tsx bench/cart-writes.ts [--duration 10] [--connections 20] [--products 300] [--warmup 1] [--save]
// REDIS_URL (with its own REDIS_KEY_PREFIX) measures the Redis working copy; CARTS_WRITE_BACK=off the SQL store.
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { jsonCaller } from './support/json-call.js';
import { measureCeiling, measurePaired } from './support/measure.js';

const args = benchArgs({ duration: 10, connections: 20 });
const opts = { duration: args.duration, connections: args.connections };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();
const mode = process.env.CARTS_WRITE_BACK === 'off' ? 'write-back off (SQL store)' : process.env.REDIS_URL ? 'Redis working copy' : 'memory working copy';

log(`bench:cart-writes — ${machineNote()}; ${mode}; ${args.duration} s, ${args.connections} connections`);
// the ceiling stays up all run: the add is measured in slices alternating with it (A B A B A B), as bench:flash-sale
// does, so a change of the shared box's speed between the two moves both
const hello = await startBenchTarget('hello');
const ceiling = await measureCeiling(opts, log, hello);
let shop: Awaited<ReturnType<typeof startBenchTarget>> | undefined;
let row;
try {
  shop = await startBenchTarget('shop', { FLOODGATE_DEMO_PRODUCTS: String(args.products ?? 300) });
  const call = jsonCaller(shop.url);
  const list = await call('GET', '/v1/products?limit=5');
  const hot = (list.body.items as Array<{ variants: Array<{ id: string }> }>).map((p) => p.variants[0]!.id);
  const token = (await call('POST', '/v1/auth/guest', {})).body.accessToken as string;
  // enough carts that no line reaches its 99 units however fast the shop answers
  const carts: string[] = [];
  for (let i = 0; i < 2_000; i++) carts.push((await call('POST', '/v1/carts', {}, token)).body.id as string);
  let next = 0;
  row = (await measurePaired(hello, shop, {
    name: 'POST /v1/carts/{id}/items (hot variants)',
    method: 'POST',
    path: '/v1/carts/x/items',
    headers: { authorization: `Bearer ${token}` },
    body: {},
    warmupSec: args.warmup,
    setupRequest: (req) => {
      const i = next++;
      return { ...req, path: `/v1/carts/${carts[i % carts.length]}/items`, body: JSON.stringify({ variantId: hot[i % hot.length], quantity: 1 }) };
    },
  }, { ...opts, rounds: 3 })).row;
} finally {
  await shop?.stop();
  await hello.stop();
}

console.log(`\nbench:cart-writes — ${new Date().toISOString()} — ${machineNote()} — ${mode}`);
console.log(`${args.duration} s, ${args.connections} connections; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, [row]));
if (args.save) log(`\nsaved ${await saveResult('cart-writes', { date: new Date().toISOString(), machine: machineNote(), mode, load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows: [row] })}`);
