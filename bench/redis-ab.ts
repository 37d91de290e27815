// A/B of the shop in the production topology's data layer (Redis working copies and counters, PostgreSQL): the
// shop of a baseline checkout (A) and of this one (B), both running at once on their own fresh database and Redis
// key prefix, loaded in alternating slices (A B A B …), so a change of the shared box's speed moves both. Reports
// each side's median req/s, its shop's CPU per request (from /proc) and every slice's, and the CPU the shared
// PostgreSQL and Redis spent per request in its slices (the data layer competes for the same cores), for one workload:
//   add  — POST /v1/carts/{id}/items over 2,000 carts of one guest and 5 hot variants (bench:cart-writes' load): each
//          pass over the carts adds the next variant, so carts grow to five lines of up to 99 before any add is refused
//   poll — GET /v1/flash-sales/{id}/queue/{ticket} over 2,000 waiting tickets (bench:flash-sale's poll)
//   reserve — POST /v1/flash-sales/{id}/reservations refused after the sell-out: 200 admitted buyers, each holding
//             their limit, ask again with a new Idempotency-Key (bench:flash-sale's sold-out reservation)
//   node --import tsx bench/redis-ab.ts --base /path/to/baseline/checkout --workload add|poll|reserve [--slices 6] [--slice 4] [--connections 20]
// Each checkout's shop is its own `floodgate start` (its dist/ when current, with its own bench-target.ts), so
// build both first. REDIS_URL (default redis://127.0.0.1:6379) is shared: only the runs' own keys are deleted.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createPostgresTestDatabaseUrl } from '../test/support/databases.js';
import { exitWithHelpWhenAsked, loadNote, machineNote } from './support/bench-report.js';
import type { BenchTarget, startBenchTarget as StartBenchTarget } from './support/bench-target.js';
import { jsonCaller } from './support/json-call.js';
import { cpuMs, cpuMsOfProcesses } from './support/proc-stats.js';
import { deleteKeysUnder } from '../test/support/redis-keys.js';
import { createRedisConnection, closeRedisConnection } from '../src/platform/redis/redis-connection.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({
  options: { base: { type: 'string' }, workload: { type: 'string', default: 'add' }, slices: { type: 'string', default: '6' }, slice: { type: 'string', default: '4' }, connections: { type: 'string', default: '20' } },
});
if (!values.base) throw new Error('--base <checkout> is required (a worktree of the baseline commit, built)');
const workloads = ['add', 'poll', 'reserve'] as const;
const workload = workloads.find((w) => w === values.workload);
if (!workload) throw new Error('--workload must be add, poll or reserve');
const slices = Number(values.slices);
const sliceSeconds = Number(values.slice);
const connections = Number(values.connections);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-1' };
const log = (m: string) => process.stderr.write(`${m}\n`);

interface Side {
  name: 'A' | 'B';
  target: BenchTarget;
  prefix: string;
  drop: () => Promise<void>;
  next: () => { path: string; headers: Record<string, string>; body?: string };
}

async function start(name: 'A' | 'B', tree: string): Promise<Side> {
  const { startBenchTarget } = (await import(resolve(tree, 'bench/support/bench-target.ts'))) as { startBenchTarget: typeof StartBenchTarget };
  const database = await createPostgresTestDatabaseUrl();
  const prefix = `fgbench-ab-${name}-${Date.now().toString(36)}`;
  log(`${name}: ${tree}`);
  const target = await startBenchTarget('shop', {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    FLOODGATE_DEMO_PRODUCTS: '100',
    FLOODGATE_ADMIN_EMAIL: ADMIN.email,
    FLOODGATE_ADMIN_PASSWORD: ADMIN.password,
    BENCH_LOG_LEVEL: 'warn',
  });
  const call = jsonCaller(target.url);
  let n = 0;
  if (workload === 'add') {
    const list = await call('GET', '/v1/products?limit=5');
    const hot = (list.body.items as Array<{ variants: Array<{ id: string }> }>).map((p) => p.variants[0]!.id);
    const token = (await call('POST', '/v1/auth/guest', {})).body.accessToken as string;
    const carts: string[] = [];
    for (let i = 0; i < 2_000; i++) carts.push((await call('POST', '/v1/carts', {}, token)).body.id as string);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    return { name, target, prefix, drop: database.drop, next: () => ((n += 1), { path: `/v1/carts/${carts[n % carts.length]}/items`, headers, body: JSON.stringify({ variantId: hot[Math.floor(n / carts.length) % hot.length], quantity: 1 }) }) };
  }
  const adminToken = (await call('POST', '/v1/auth/login', ADMIN)).body.accessToken as string;
  const variantId = ((await call('GET', '/v1/products?limit=1')).body.items as Array<{ variants: Array<{ id: string }> }>)[0]!.variants[0]!.id;
  const level = (await call('GET', `/v1/admin/inventory/${variantId}`, undefined, adminToken)).body as { onHand: number };
  await call('PUT', `/v1/admin/inventory/${variantId}`, { onHand: level.onHand + 300 }, adminToken);
  const now = Date.now();
  const buyers = 200;
  // poll: one admission a second, so everyone stays waiting and every poll is the waiting answer; reserve: as many
  // units as buyers, all admitted at once, each buyer holding one
  const sale = await call('POST', '/v1/admin/flash-sales', { variantId, price: { amount: 999, currency: 'USD' }, quantity: workload === 'poll' ? 300 : buyers, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), perCustomerLimit: 1, admissionRatePerSecond: workload === 'poll' ? 1 : 1_000, admissionTtlMs: 600_000, allowGuests: true }, adminToken);
  if (sale.status !== 201) throw new Error(`${name}: POST /v1/admin/flash-sales answered ${sale.status}`);
  const saleId = sale.body.id as string;
  for (let i = 0; (await call('GET', `/v1/flash-sales/${saleId}`)).body.status !== 'live'; i++) {
    if (i > 100) throw new Error(`${name}: the sale did not go live within 20 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (workload === 'reserve') {
    const holders: Array<{ token: string; admissionToken: string }> = [];
    for (let i = 0; i < buyers; i++) {
      const token = (await call('POST', '/v1/auth/guest', {})).body.accessToken as string;
      const ticket = (await call('POST', `/v1/flash-sales/${saleId}/queue`, {}, token)).body.ticket as string;
      for (let tries = 0; ; tries++) {
        const polled = await call('GET', `/v1/flash-sales/${saleId}/queue/${encodeURIComponent(ticket)}`, undefined, token);
        if (polled.body.state === 'admitted') {
          holders.push({ token, admissionToken: polled.body.admissionToken as string });
          break;
        }
        if (tries > 100) throw new Error(`${name}: buyer ${i} was not admitted within 10 s (${JSON.stringify(polled.body)})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (const [i, h] of holders.entries()) {
      const held = await call('POST', `/v1/flash-sales/${saleId}/reservations`, { quantity: 1 }, h.token, { 'admission-token': h.admissionToken, 'idempotency-key': `ab-hold-${i}` });
      if (held.status !== 201) throw new Error(`${name}: buyer ${i}'s reservation answered ${held.status}`);
    }
    return {
      name, target, prefix, drop: database.drop,
      next: () => {
        const h = holders[(n += 1) % holders.length]!;
        const headers = { authorization: `Bearer ${h.token}`, 'admission-token': h.admissionToken, 'idempotency-key': `ab-again-${n}`, 'content-type': 'application/json' };
        return { path: `/v1/flash-sales/${saleId}/reservations`, headers, body: '{"quantity":1}' };
      },
    };
  }
  const tickets: Array<{ token: string; ticket: string }> = [];
  for (let i = 0; i < 2_000; i++) {
    const token = (await call('POST', '/v1/auth/guest', {})).body.accessToken as string;
    tickets.push({ token, ticket: (await call('POST', `/v1/flash-sales/${saleId}/queue`, {}, token)).body.ticket as string });
  }
  return {
    // the sale's counters are under the prefix, deleted with the rest of it
    name, target, prefix, drop: database.drop,
    next: () => {
      const t = tickets[(n += 1) % tickets.length]!;
      return { path: `/v1/flash-sales/${saleId}/queue/${encodeURIComponent(t.ticket)}`, headers: { authorization: `Bearer ${t.token}` } };
    },
  };
}

async function load(side: Side, seconds: number) {
  const before = side.target.pid ? cpuMs(side.target.pid) : 0;
  // one side is loaded at a time: the shared PostgreSQL's and Redis's CPU in its slices is its requests' (and the
  // other side's idle background work, a small constant)
  const dataBefore = { postgres: cpuMsOfProcesses('postgres'), redis: cpuMsOfProcesses('redis-server') };
  const result = await autocannon({
    url: side.target.url,
    connections,
    duration: seconds,
    method: workload === 'poll' ? 'GET' : 'POST',
    requests: [{ setupRequest: (req) => ({ ...req, ...side.next() }) }],
  });
  const cpu = side.target.pid ? cpuMs(side.target.pid) - before : 0;
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, result.requests.total);
  const data = { postgresUs: perRequest(cpuMsOfProcesses('postgres') - dataBefore.postgres), redisUs: perRequest(cpuMsOfProcesses('redis-server') - dataBefore.redis) };
  const statuses = Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(' ');
  return { rps: result.requests.average, cpuUs: perRequest(cpu), ...data, refused: result.non2xx + result.errors, statuses };
}

const sides: Side[] = [];
try {
  sides.push(await start('A', resolve(values.base)));
  sides.push(await start('B', resolve('.')));
  log(`warming up, then ${slices} × ${sliceSeconds} s slices each, alternating, ${connections} connections (${workload})`);
  for (const side of sides) await load(side, 2);
  const runs: Record<string, Array<{ rps: number; cpuUs: number; postgresUs: number; redisUs: number; refused: number; statuses: string }>> = { A: [], B: [] };
  for (let s = 0; s < slices; s++) for (const side of sides) runs[side.name]!.push(await load(side, sliceSeconds));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\nredis-ab (${workload}) — ${new Date().toISOString()} — ${machineNote()}; ${loadNote()}`);
  for (const side of sides) {
    const r = runs[side.name]!;
    const refused = r.reduce((t, x) => t + x.refused, 0);
    console.log(`${side.name}: median ${median(r.map((x) => x.rps)).toFixed(0)} req/s, ${median(r.map((x) => x.cpuUs)).toFixed(1)} µs CPU per request [${r.map((x) => x.cpuUs.toFixed(1)).join(' ')}]; PostgreSQL ${median(r.map((x) => x.postgresUs)).toFixed(1)} µs, Redis ${median(r.map((x) => x.redisUs)).toFixed(1)} µs${refused ? `; ${refused} non-2xx or errors (last slice: ${r.at(-1)!.statuses})` : ''}`);
  }
  const better = runs.B!.filter((b, i) => b.cpuUs < runs.A![i]!.cpuUs).length;
  console.log(`B used less CPU per request than A in ${better} of ${slices} slice pairs`);
} finally {
  const redis = createRedisConnection({ url: redisUrl, name: 'bench-ab-cleanup', logger: { info: () => {}, warn: () => {} } });
  for (const side of sides) {
    await side.target.stop();
    await side.drop().catch((err: unknown) => log(`${side.name}: cleanup: ${String(err)}`));
    await deleteKeysUnder(redis, side.prefix);
  }
  await closeRedisConnection(redis);
}
