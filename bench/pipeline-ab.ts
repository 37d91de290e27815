// A/B of the shared request pipeline on a shared, loaded machine: the bare-Fastify ceiling and the shop
// from two checkouts (A = a baseline tree, B = this one), all running at once, measured in alternating
// short slices. Besides req/s (which the box's load moves ±50 %) it records each server's CPU time per
// request from /proc, which moves far less.
//   node --import tsx bench/pipeline-ab.ts --base /path/to/baseline/checkout [--rounds 6] [--slice 2]
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadNote, machineNote } from './support/bench-report.js';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '6' }, slice: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' } } });
if (!values.base) throw new Error('--base <checkout> is required');
const rounds = Number(values.rounds);
const slice = Number(values.slice);
const connections = Number(values.connections);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };
const log = (m: string) => process.stderr.write(`${m}\n`);

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

interface Server { name: string; url: string; child: ChildProcess }
async function serve(name: string, tree: string, kind: 'hello' | 'shop'): Promise<Server> {
  const child = fork(resolve(tree, 'bench/support/serve-target.ts'), [kind], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FLOODGATE_ADMIN_EMAIL: ADMIN.email, FLOODGATE_ADMIN_PASSWORD: ADMIN.password, FLOODGATE_DEMO_PRODUCTS: '3000' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const url = await new Promise<string>((ok, fail) => {
    child.once('message', (m: { url?: string }) => (m.url ? ok(m.url) : fail(new Error(`${name}: no url`))));
    child.once('exit', (code) => fail(new Error(`${name} exited ${code}`)));
  });
  return { name, url, child };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read ad hoc
type Json = Record<string, any>;

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

/** the three paths under test on one shop: a probe, a product page, and a flash-sale poll with a valid ticket */
async function preparePaths(base: string) {
  const products = (await call(base, 'GET', '/v1/products?limit=1')).items as Array<{ slug: string }>;
  const product = await call(base, 'GET', `/v1/products/${products[0]!.slug}`);
  const admin = (await call(base, 'POST', '/v1/auth/login', undefined, ADMIN)).accessToken as string;
  const now = Date.now();
  const sale = await call(base, 'POST', '/v1/admin/flash-sales', admin, {
    variantId: product.variants[0].id, price: { amount: 999, currency: product.variants[0].price?.currency ?? 'USD' }, quantity: 5,
    startsAt: new Date(now - 1_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
    perCustomerLimit: 1, admissionRatePerSecond: 0.001, allowGuests: true,
  });
  const guest = (await call(base, 'POST', '/v1/auth/guest')).accessToken as string;
  // the sale goes live by its worker; join once it does
  let ticket: string | undefined;
  for (let i = 0; i < 100 && !ticket; i++) {
    try {
      ticket = (await call(base, 'POST', `/v1/flash-sales/${sale.id}/queue`, guest)).ticket as string;
    } catch (err) {
      if (i === 99) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    '/healthz': { path: '/healthz' },
    'product page': { path: `/v1/products/${products[0]!.slug}` },
    'flash-sale poll': { path: `/v1/flash-sales/${sale.id}/queue/${encodeURIComponent(ticket!)}`, headers: { authorization: `Bearer ${guest}` } },
  } as Record<string, { path: string; headers?: Record<string, string> }>;
}

async function slice1(server: Server, path: string, headers: Record<string, string> = {}, seconds = slice) {
  const c0 = cpuSeconds(server.child.pid!);
  const r = await autocannon({ url: server.url + path, connections, duration: seconds, headers: { accept: 'application/json', ...headers } });
  const ok = r['2xx'];
  return { rps: ok / r.duration, cpuUs: ((cpuSeconds(server.child.pid!) - c0) * 1e6) / Math.max(1, ok), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadAtStart = loadNote();
log(`pipeline-ab — ${machineNote()}; ${loadAtStart}`);
const hello = await serve('ceiling', process.cwd(), 'hello');
const shops = [await serve('A (base)', values.base, 'shop'), await serve('B (this tree)', process.cwd(), 'shop')];
try {
  const paths = await Promise.all(shops.map((s) => preparePaths(s.url)));
  const results: string[] = [];
  for (const name of Object.keys(paths[0]!)) {
    for (const [i, s] of shops.entries()) await slice1(s, paths[i]![name]!.path, paths[i]![name]!.headers, 1); // warm-up
    await slice1(hello, '/', {}, 1);
    const rows = { ceiling: [] as Awaited<ReturnType<typeof slice1>>[], A: [] as Awaited<ReturnType<typeof slice1>>[], B: [] as Awaited<ReturnType<typeof slice1>>[] };
    for (let r = 0; r < rounds; r++) {
      const order: Array<'ceiling' | 'A' | 'B'> = r % 2 ? ['B', 'A', 'ceiling'] : ['ceiling', 'A', 'B'];
      for (const who of order) {
        if (who === 'ceiling') rows.ceiling.push(await slice1(hello, '/'));
        else { const i = who === 'A' ? 0 : 1; rows[who].push(await slice1(shops[i]!, paths[i]![name]!.path, paths[i]![name]!.headers)); }
      }
    }
    for (const who of ['A', 'B'] as const) {
      const ratio = median(rows[who].map((x, k) => x.rps / rows.ceiling[k]!.rps));
      const cpuRatio = median(rows[who].map((x, k) => rows.ceiling[k]!.cpuUs / x.cpuUs));
      results.push(`| ${name} | ${who} | ${ratio.toFixed(3)} | ${cpuRatio.toFixed(3)} | ${median(rows[who].map((x) => x.cpuUs)).toFixed(0)} | ${median(rows.ceiling.map((x) => x.cpuUs)).toFixed(0)} | ${median(rows[who].map((x) => x.p50))} | ${median(rows[who].map((x) => x.p99))} | ${rows[who].reduce((a, x) => a + x.non2xx, 0)} |`);
    }
    log(results.slice(-2).join('\n'));
  }
  console.log(`\npipeline-ab — ${new Date().toISOString()} — ${machineNote()}; ${rounds} rounds × ${slice} s slices, ${connections} connections; ${loadAtStart} at the start, ${loadNote()} at the end`);
  console.log('| endpoint | tree | req/s ÷ ceiling (median) | ceiling CPU/req ÷ shop CPU/req (median) | shop CPU µs/req | ceiling CPU µs/req | p50 ms | p99 ms | non-2xx |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(results.join('\n'));
} finally {
  await Promise.all([hello, ...shops].map((s) => new Promise<void>((done) => {
    const killer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
    s.child.once('exit', () => { clearTimeout(killer); done(); });
    s.child.send('stop');
  })));
}
