// Soak: the all-in-one as an operator runs it (`floodgate start` from dist/, embedded database, demo catalog)
// under a steady browse-and-cart load for N minutes, sampling its resident memory and V8 heap. Memory that
// grows without bound shows as a slope after the warm-up; a bounded process levels off.
//   npm run build && npm run bench:soak -- [--minutes 10] [--rate 300] [--reads-only] [--save]
// The load is open-ended autocannon at a fixed rate (below capacity: a soak looks for leaks, not limits):
// product pages, lists, searches, categories, and new guests with a cart (tokens, carts and cache entries
// accumulate as they would in a day of shoppers). --reads-only leaves the guests and carts out: memory that grows
// with them, and not without them, is per-shopper state.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type RequestSpec } from 'autocannon';
import { freePort } from '../test/support/private-postgres.js';
import { exitWithHelpWhenAsked, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { formatMemoryMap, memoryMap } from './support/memory-map.js';
import { rssMiB } from './support/proc-stats.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '300' }, 'reads-only': { type: 'boolean', default: false }, save: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate must be positive numbers');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(ROOT, 'dist/BUILD_STAMP'))) throw new Error('no build in dist/: run npm run build first');
const log = (m: string) => process.stderr.write(`${m}\n`);
const SAMPLE_MS = 5_000;
// the first fifth (JIT, caches and pools filling) is not part of the trend
const WARMUP_SHARE = 0.2;

const metric = (page: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(page)?.[1] ?? NaN);
/** the sum of every series of a family (one per limit, one per cache) */
const metricSum = (page: string, name: string) => [...page.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);

/** least-squares slope (per minute) of y over t (ms) */
function slopePerMinute(points: ReadonlyArray<{ t: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60_000;
}

/** a terminal chart: one column per sample, rows from max to min */
function chart(title: string, ys: readonly number[], height = 8): string {
  const min = Math.min(...ys);
  const max = Math.max(...ys);
  const span = max - min || 1;
  const width = 60;
  const step = Math.max(1, Math.ceil(ys.length / width));
  const cols = Array.from({ length: Math.ceil(ys.length / step) }, (_, i) => Math.max(...ys.slice(i * step, (i + 1) * step)));
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const level = min + (span * (r + 0.5)) / height;
    const label = r === height - 1 ? max.toFixed(0).padStart(5) : r === 0 ? min.toFixed(0).padStart(5) : '     ';
    rows.push(`${label} ┤${cols.map((y) => (y >= level ? '█' : ' ')).join('')}`);
  }
  return `${title}\n${rows.join('\n')}\n      └${'─'.repeat(cols.length)} ${minutes} min`;
}

const dataDir = mkdtempSync(join(tmpdir(), 'floodgate-soak-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
log(`bench:soak — ${machineNote()}; ${loadNote()}; ${minutes} min at ${rate} req/s`);
const child = spawn(process.execPath, [join(ROOT, 'bin/floodgate.js'), 'start'], {
  env: { ...process.env, PORT: String(port), FLOODGATE_DATA_DIR: dataDir, FLOODGATE_BUILD_DIR: 'dist', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', FLOODGATE_DEMO_PRODUCTS: '300' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5_000)));
const exited = new Promise((resolve) => child.once('exit', resolve));

// the bounded per-shopper state beside the totals: the rate limits' remembered keys (RATE_LIMIT_MEMORY_MB_PER_LIMIT
// each) and the in-process caches' bytes, so a run can tell "levelling at a bound" from "growing"
interface Sample { t: number; rssMiB: number; heapUsedMiB: number; externalMiB: number; limitKeys: number; limitMiB: number; cacheMiB: number; requests: number }
const samples: Sample[] = [];
try {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the shop exited while starting:\n${stderr}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (performance.now() - started > 180_000) throw new Error(`the shop was not ready in 180 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // after the first start's initdb, migrations and seed: what the "≤ 350 MB after the seed" reads
  const readyRssMiB = rssMiB(child.pid!);
  const readyMap = memoryMap(child.pid!);
  log(`  ready: ${formatMemoryMap(readyMap)}`);
  const products = ((await (await fetch(`${url}/v1/products?limit=100`)).json()) as { items: Array<{ slug: string; categoryId: string; variants: Array<{ id: string }> }> }).items;
  if (products.length === 0) throw new Error('the shop has no products');
  const slugs = products.map((p) => p.slug);
  const categories = [...new Set(products.map((p) => p.categoryId))];
  const variants = products.map((p) => p.variants[0]!.id);
  let n = 0;
  // each connection: a new guest (a token the verifier remembers, a session row), its cart, then browsing
  const requests: RequestSpec[] = [
    { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/products/${slugs[n++ % slugs.length]}` }) },
    { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/products?limit=20&category=${categories[n++ % categories.length]}` }) },
    { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/products?q=${['jacket', 'hoodie', 'shirt', 'bag', 'mug'][n++ % 5]}&limit=20` }) },
    {
      method: 'POST', path: '/v1/auth/guest', headers: { 'content-type': 'application/json' }, body: '{}',
      // shoppers come from many addresses: one address would meet the per-address guest limit within a minute
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n++ & 255}` } }),
      onResponse: (status, body, context) => void (status === 201 && (context.token = (JSON.parse(body) as { accessToken: string }).accessToken)) },
    {
      method: 'POST', path: '/v1/carts',
      setupRequest: (req, context) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${String(context.token)}` } }),
      onResponse: (status, body, context) => void (status === 201 && (context.cart = (JSON.parse(body) as { id: string }).id)),
    },
    {
      method: 'POST',
      setupRequest: (req, context) => ({ ...req, path: `/v1/carts/${String(context.cart)}/items`, headers: { ...req.headers, authorization: `Bearer ${String(context.token)}`, 'content-type': 'application/json' }, body: JSON.stringify({ variantId: variants[n++ % variants.length], quantity: 1 }) }),
    },
    { method: 'GET', path: '/v1/categories' },
  ];
  const readsOnly = values['reads-only'] ?? false;
  const load = autocannon({ url, connections: 20, overallRate: rate, duration: minutes * 60, requests: readsOnly ? requests.filter((r) => r.method === 'GET') : requests });
  const t0 = performance.now();
  const statuses: Record<string, number> = {};
  load.on('response', (_client, status) => void (statuses[status] = (statuses[status] ?? 0) + 1));
  const sampler = setInterval(() => {
    void fetch(`${url}/metrics`).then(async (r) => ({ status: r.status, page: await r.text() })).then(({ status, page }) => {
      // /metrics is the first thing shed under load (criticality low): a refused scrape is no sample, not a NaN one
      if (status !== 200) return log(`  sample skipped: /metrics answered ${status}`);
      const s = { t: performance.now() - t0, rssMiB: rssMiB(child.pid!), heapUsedMiB: metric(page, 'floodgate_process_nodejs_heap_size_used_bytes') / 2 ** 20, externalMiB: metric(page, 'floodgate_process_nodejs_external_memory_bytes') / 2 ** 20, limitKeys: metricSum(page, 'floodgate_ratelimit_memory_keys'), limitMiB: metricSum(page, 'floodgate_ratelimit_memory_bytes') / 2 ** 20, cacheMiB: metricSum(page, 'floodgate_cache_bytes') / 2 ** 20, requests: Object.values(statuses).reduce((a, b) => a + b, 0) };
      samples.push(s);
      log(`  ${(s.t / 60_000).toFixed(1)} min: RSS ${s.rssMiB.toFixed(0)} MiB, heap used ${s.heapUsedMiB.toFixed(0)} MiB, external ${s.externalMiB.toFixed(0)} MiB, rate-limit keys ${s.limitKeys} (${s.limitMiB.toFixed(1)} MiB), caches ${s.cacheMiB.toFixed(1)} MiB, ${s.requests} answers`);
    }, (err: unknown) => log(`  sample failed: ${String(err)}`));
  }, SAMPLE_MS);
  await load;
  clearInterval(sampler);
  const endMap = memoryMap(child.pid!);

  const trend = samples.filter((s) => s.t >= minutes * 60_000 * WARMUP_SHARE);
  const rssSlope = slopePerMinute(trend.map((s) => ({ t: s.t, y: s.rssMiB })));
  const heapSlope = slopePerMinute(trend.map((s) => ({ t: s.t, y: s.heapUsedMiB })));
  // bounded structures fill first and then level: the second half says whether anything still grows
  const lateHalf = samples.filter((s) => s.t >= minutes * 60_000 * 0.5);
  const lateRssSlope = slopePerMinute(lateHalf.map((s) => ({ t: s.t, y: s.rssMiB })));
  const lateHeapSlope = slopePerMinute(lateHalf.map((s) => ({ t: s.t, y: s.heapUsedMiB })));
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  const bad = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((a, [, c]) => a + c, 0);
  console.log(`\nbench:soak — ${new Date().toISOString()} — ${machineNote()}; ${loadNote()} at the end`);
  console.log(`${minutes} min at ${rate} req/s offered${readsOnly ? ' (reads only)' : ''}: ${answered} answers (${JSON.stringify(statuses)}), ${bad} 5xx; RSS at ready (after the seed) ${readyRssMiB.toFixed(0)} MiB\n`);
  console.log(`at ready: ${formatMemoryMap(readyMap)}\nat the end: ${formatMemoryMap(endMap)}\n`);
  console.log(chart('RSS (MiB)', samples.map((s) => s.rssMiB)));
  console.log(chart('\nV8 heap used (MiB)', samples.map((s) => s.heapUsedMiB)));
  console.log(`\n| after the first ${WARMUP_SHARE * 100} % | start | end | max | slope (MiB/min) |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, key, slope] of [['RSS', 'rssMiB', rssSlope], ['V8 heap used', 'heapUsedMiB', heapSlope]] as const) {
    const ys = trend.map((s) => s[key]);
    console.log(`| ${name} | ${ys[0]?.toFixed(0)} | ${ys.at(-1)?.toFixed(0)} | ${Math.max(...ys).toFixed(0)} | ${slope.toFixed(2)} |`);
  }
  console.log(`| second half only: RSS / V8 heap used slope (MiB/min) | | | | ${lateRssSlope.toFixed(2)} / ${lateHeapSlope.toFixed(2)} |`);
  const first = trend[0];
  const last = trend.at(-1);
  if (first && last) {
    console.log(`| rate-limit keys (bounded: RATE_LIMIT_MEMORY_MB_PER_LIMIT per limit) | ${first.limitKeys} (${first.limitMiB.toFixed(1)} MiB) | ${last.limitKeys} (${last.limitMiB.toFixed(1)} MiB) | | |`);
    console.log(`| in-process caches (MiB, bounded by bytes) | ${first.cacheMiB.toFixed(1)} | ${last.cacheMiB.toFixed(1)} | | |`);
  }
  if (values.save) log(`saved ${await saveResult('soak', { machine: machineNote(), minutes, rate, readsOnly, statuses, readyRssMiB, readyMap, endMap, samples, rssSlopeMiBPerMin: rssSlope, heapSlopeMiBPerMin: heapSlope, lateRssSlopeMiBPerMin: lateRssSlope, lateHeapSlopeMiBPerMin: lateHeapSlope })}`);
} finally {
  child.kill('SIGTERM');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
}
