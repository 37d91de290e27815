// Read-path benchmark: the shop's catalog reads, each in slices alternating with the same run's bare-Fastify
// ceiling (A B A B A B), both servers up all along, so each ratio is taken against the ceiling of its own minutes.
//   node --import tsx bench/reads.ts [--duration 12] [--rounds 3] [--connections 100] [--products 3000] [--only q=,limit=20] [--warmup 1] [--save]
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { peakRssFromHere } from './support/proc-stats.js';
import { combine, measurePaired, type BenchRow, type Endpoint } from './support/measure.js';

const args = benchArgs({ duration: 12, connections: 100, rounds: 3 });
const opts = { duration: args.duration, connections: args.connections, rounds: args.rounds };
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();

log(`bench:reads — ${machineNote()}; ${args.duration} s per endpoint in ${args.rounds} slices alternating with the ceiling, ${args.connections} connections`);
const hello = await startBenchTarget('hello');
log('starting the shop (all-in-one, temp data dir, demo catalog)');
const shop = await startBenchTarget('shop', args.products ? { FLOODGATE_DEMO_PRODUCTS: String(args.products) } : {}).catch(async (err: unknown) => {
  await hello.stop();
  throw err;
});
const rows: BenchRow[] = [];
const ceilingSlices: BenchRow[] = [];
// what a browser sends: every catalog read below negotiates br, as shoppers' requests do
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
let peakRss: number | undefined;
let rssNote = '';
// the start's own peak (initdb, migrations, the seed) is not the browse load's: measured from here
const rssWindow = shop.pid ? peakRssFromHere(shop.pid) : undefined;
try {
  const get = async (path: string) => {
    const res = await fetch(shop.url + path, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return { body: (await res.json()) as Record<string, unknown>, etag: res.headers.get('etag') };
  };
  const page = await get('/v1/products?limit=50');
  const products = (page.body.items as Array<{ slug: string; name: string; categoryId: string }>) ?? [];
  if (products.length === 0) throw new Error('the shop has no products to read');
  const slugs = products.map((p) => p.slug);
  // the product noun ("jacket"): a typical shopper query, narrower than the brand word every name carries
  const term = products[0]!.name.split(/\s+/).filter((w) => w.length >= 4).at(-1) ?? products[0]!.name;
  const first = await get(`/v1/products/${slugs[0]}`);
  // every slug, for the cold run: pages expire after CATALOG_PAGE_TTL_MS (1 s), so rotating over the whole
  // catalog makes nearly every request a miss (database + render + compress)
  const allSlugs: string[] = [];
  for (let cursor: string | null = null, pages = 0; pages < 100; pages++) {
    const more = await get(`/v1/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    allSlugs.push(...(more.body.items as Array<{ slug: string }>).map((p) => p.slug));
    cursor = more.body.nextCursor as string | null;
    if (!cursor) break;
  }
  let cold = 0;

  let next = 0;
  const endpoints: Endpoint[] = [
    { name: 'GET /healthz', path: '/healthz', warmupSec: args.warmup },
    { name: 'GET /v1/categories (br)', path: '/v1/categories', headers: BROWSER, warmupSec: args.warmup },
    { name: 'GET /v1/products?limit=20 (br)', path: '/v1/products?limit=20', headers: BROWSER, warmupSec: args.warmup },
    { name: 'GET /v1/products?category&limit=20 (br)', path: `/v1/products?category=${encodeURIComponent(products[0]!.categoryId)}&limit=20`, headers: BROWSER, warmupSec: args.warmup },
    { name: `GET /v1/products?q=${term} (br)`, path: `/v1/products?q=${encodeURIComponent(term)}&limit=20`, headers: BROWSER, warmupSec: args.warmup },
    {
      name: `GET /v1/products/{slug} (${slugs.length} rotating, br)`,
      path: `/v1/products/${slugs[0]}`,
      headers: BROWSER,
      setupRequest: (req) => ({ ...req, path: `/v1/products/${slugs[next++ % slugs.length]}` }),
      warmupSec: args.warmup,
    },
    {
      name: `GET /v1/products/{slug} cold (${allSlugs.length} rotating, br)`,
      path: `/v1/products/${allSlugs[0]}`,
      headers: BROWSER,
      setupRequest: (req) => ({ ...req, path: `/v1/products/${allSlugs[cold++ % allSlugs.length]}` }),
    },
  ];
  if (first.etag) {
    endpoints.push({ name: 'GET /v1/products/{slug} If-None-Match (304)', path: `/v1/products/${slugs[0]}`, headers: { 'if-none-match': first.etag }, warmupSec: args.warmup });
  }
  const chosen = args.only ? endpoints.filter((e) => args.only!.some((w) => e.name.includes(w))) : endpoints;
  if (chosen.length === 0) throw new Error(`--only ${args.only?.join(',')} matches none of: ${endpoints.map((e) => e.name).join('; ')}`);
  for (const e of chosen) {
    log(`measuring ${e.name} (A B × ${args.rounds})`);
    const { row, ceiling } = await measurePaired(hello, shop, e, opts);
    rows.push(row);
    ceilingSlices.push(ceiling);
  }
  // the shop's peak resident memory under the reads, read before it stops
  peakRss = rssWindow?.peakMiB();
  rssNote = rssWindow?.describe('the reads') ?? '';
} finally {
  await shop.stop();
  await hello.stop();
}
const ceiling = combine('ceiling: Fastify hello world (every slice)', ceilingSlices);

// a 304 is the intended answer to a revalidation, not an error
const notes = Object.fromEntries(rows.filter((r) => r.statuses['304']).map((r) => [r.endpoint, `${r.statuses['304']} × 304`]));
for (const r of rows) if (r.statuses['304']) r.non2xx -= r.statuses['304']!;
console.log(`\nbench:reads — ${new Date().toISOString()} — ${machineNote()}`);
console.log(`${args.duration} s per endpoint (after ${args.warmup} s of warm-up) in ${args.rounds} slices alternating with the ceiling's (each ratio is to its own ceiling slices), ${args.connections} connections, autocannon in this process, each server in its own process; ${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows, notes));
if (rssNote) console.log(`\n${rssNote}`);
if (args.save) log(`\nsaved ${await saveResult('reads', { date: new Date().toISOString(), machine: machineNote(), load: { start: loadAtStart, end: loadNote() }, args, ceiling, rows, readyRssMiB: rssWindow?.atStartMiB, peakRssMiB: peakRss })}`);
