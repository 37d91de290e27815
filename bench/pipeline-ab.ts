// A/B of the shared request pipeline on a shared, loaded machine: the bare-Fastify ceiling and the shop
// from two checkouts (A = a baseline tree, B = this one), all running at once, measured in alternating
// short slices. Besides req/s (which the box's load moves ±50 %) it records each server's CPU time per
// request from /proc, which moves far less.
//   node --import tsx bench/pipeline-ab.ts --base /path/to/baseline/checkout [--rounds 6] [--slice 2] [--only poll,sold-out]
// --only keeps the paths whose name contains one of the given words; --cpu-prof-dir writes a CPU profile of B
// (node --cpu-prof) there when it stops.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type RequestSpec } from 'autocannon';
import { exitWithHelpWhenAsked, loadNote, machineNote } from './support/bench-report.js';
import { cpuMs } from './support/proc-stats.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '6' }, slice: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' }, only: { type: 'string' }, 'cpu-prof-dir': { type: 'string' } } });
if (!values.base) throw new Error('--base <checkout> is required');
const rounds = Number(values.rounds);
const slice = Number(values.slice);
const connections = Number(values.connections);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };
const log = (m: string) => process.stderr.write(`${m}\n`);

const cpuSeconds = (pid: number) => cpuMs(pid) / 1000;

interface Server { name: string; url: string; child: ChildProcess }
async function serve(name: string, tree: string, kind: 'hello' | 'shop', profileDir?: string): Promise<Server> {
  const child = fork(resolve(tree, 'bench/support/serve-target.ts'), [kind], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])],
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

/** admitted guests of a live sale: their tokens, tickets and admission tokens (polled until admitted) */
async function admittedGuests(base: string, saleId: string, count: number) {
  const guests = await Promise.all(Array.from({ length: count }, async () => {
    const token = (await call(base, 'POST', '/v1/auth/guest')).accessToken as string;
    return { token, ticket: (await call(base, 'POST', `/v1/flash-sales/${saleId}/queue`, token)).ticket as string };
  }));
  return Promise.all(guests.map(async (g) => {
    for (let i = 0; ; i++) {
      const poll = await call(base, 'GET', `/v1/flash-sales/${saleId}/queue/${encodeURIComponent(g.ticket)}`, g.token);
      if (poll.state === 'admitted') return { ...g, admissionToken: poll.admissionToken as string };
      if (i > 100) throw new Error(`not admitted: ${JSON.stringify(poll)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }));
}

async function liveSale(base: string, admin: string, body: Json) {
  const sale = await call(base, 'POST', '/v1/admin/flash-sales', admin, body);
  for (let i = 0; (await call(base, 'GET', `/v1/flash-sales/${sale.id}`)).status !== 'live'; i++) {
    if (i > 100) throw new Error('the sale did not go live within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return sale.id as string;
}

/**
 * A sale of two units bought by one guest (reserved and checked out: nothing held, nothing left), and
 * another admitted guest whose reservation is the sold-out answer (409) nearly every customer gets.
 */
async function soldOutReservation(base: string, admin: string, variant: Json) {
  const now = Date.now();
  const saleId = await liveSale(base, admin, {
    variantId: variant.id, price: { amount: 999, currency: variant.price?.currency ?? 'USD' }, quantity: 2,
    startsAt: new Date(now - 1_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
    perCustomerLimit: 2, admissionRatePerSecond: 1_000, admissionTtlMs: 600_000, allowGuests: true,
  });
  const [buyer, late] = await admittedGuests(base, saleId, 2);
  const headers = (g: { token: string }, extra: Record<string, string>) => ({ accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${g.token}`, ...extra });
  const reserved = await fetch(`${base}/v1/flash-sales/${saleId}/reservations`, { method: 'POST', headers: headers(buyer!, { 'admission-token': buyer!.admissionToken, 'idempotency-key': 'ab-buyer-reserve' }), body: JSON.stringify({ quantity: 2 }) });
  if (reserved.status !== 201) throw new Error(`reserve → ${reserved.status} ${await reserved.text()}`);
  const { reservationId } = (await reserved.json()) as { reservationId: string };
  const address = { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' };
  const placed = await fetch(`${base}/v1/checkout`, { method: 'POST', headers: headers(buyer!, { 'idempotency-key': 'ab-buyer-checkout' }), body: JSON.stringify({ reservationId, email: 'bench@example.com', shippingAddress: address, paymentToken: 'tok_visa' }) });
  if (placed.status !== 202) throw new Error(`checkout → ${placed.status} ${await placed.text()}`);
  let n = 0;
  return {
    path: `/v1/flash-sales/${saleId}/reservations`,
    method: 'POST' as const,
    body: JSON.stringify({ quantity: 1 }),
    expect: 409,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${late!.token}`, 'admission-token': late!.admissionToken },
    setupRequest: (req: RequestSpec) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `ab-sold-out-${n++}` } }),
  };
}

interface PathSpec { path: string; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string; expect?: number; setupRequest?: (req: RequestSpec) => RequestSpec }

/** the paths under test on one shop: a probe, a product page, a flash-sale poll with a valid ticket, a sold-out reservation */
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
  const all: Record<string, PathSpec> = {
    '/healthz': { path: '/healthz' },
    'product page': { path: `/v1/products/${products[0]!.slug}` },
    'flash-sale poll': { path: `/v1/flash-sales/${sale.id}/queue/${encodeURIComponent(ticket!)}`, headers: { authorization: `Bearer ${guest}` } },
  };
  const wanted = (name: string) => !values.only || values.only.split(',').some((w) => name.includes(w));
  if (wanted('sold-out reservation')) all['sold-out reservation'] = await soldOutReservation(base, admin, product.variants[1] ?? product.variants[0]);
  return Object.fromEntries(Object.entries(all).filter(([name]) => wanted(name)));
}

async function slice1(server: Server, spec: PathSpec, seconds = slice) {
  const c0 = cpuSeconds(server.child.pid!);
  const r = await autocannon({
    url: server.url + spec.path, connections, duration: seconds, method: spec.method ?? 'GET', headers: { accept: 'application/json', ...spec.headers },
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(spec.setupRequest ? { requests: [{ setupRequest: spec.setupRequest }] } : {}),
  });
  // the expected answer: 2xx, or the status a path is about (409 for a sold-out reservation)
  const ok = spec.expect === undefined ? r['2xx'] : (r.statusCodeStats[String(spec.expect)]?.count ?? 0);
  return { rps: ok / r.duration, cpuUs: ((cpuSeconds(server.child.pid!) - c0) * 1e6) / Math.max(1, ok), p50: r.latency.p50, p99: r.latency.p99, non2xx: r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'] - ok };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadAtStart = loadNote();
log(`pipeline-ab — ${machineNote()}; ${loadAtStart}`);
const hello = await serve('ceiling', process.cwd(), 'hello');
const shops = [await serve('A (base)', values.base, 'shop'), await serve('B (this tree)', process.cwd(), 'shop', values['cpu-prof-dir'])];
try {
  const paths = await Promise.all(shops.map((s) => preparePaths(s.url)));
  const results: string[] = [];
  for (const name of Object.keys(paths[0]!)) {
    for (const [i, s] of shops.entries()) await slice1(s, paths[i]![name]!, 1); // warm-up
    await slice1(hello, { path: '/' }, 1);
    const rows = { ceiling: [] as Awaited<ReturnType<typeof slice1>>[], A: [] as Awaited<ReturnType<typeof slice1>>[], B: [] as Awaited<ReturnType<typeof slice1>>[] };
    for (let r = 0; r < rounds; r++) {
      const order: Array<'ceiling' | 'A' | 'B'> = r % 2 ? ['B', 'A', 'ceiling'] : ['ceiling', 'A', 'B'];
      for (const who of order) {
        if (who === 'ceiling') rows.ceiling.push(await slice1(hello, { path: '/' }));
        else { const i = who === 'A' ? 0 : 1; rows[who].push(await slice1(shops[i]!, paths[i]![name]!)); }
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
  console.log('| endpoint | tree | req/s ÷ ceiling (median) | ceiling CPU/req ÷ shop CPU/req (median) | shop CPU µs/req | ceiling CPU µs/req | p50 ms | p99 ms | other statuses |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(results.join('\n'));
} finally {
  await Promise.all([hello, ...shops].map((s) => new Promise<void>((done) => {
    const killer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
    s.child.once('exit', () => { clearTimeout(killer); done(); });
    s.child.send('stop');
  })));
}
