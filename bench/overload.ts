// Overload benchmark (issue 10): find the rate this shop sustains for the spike's browse + cart + checkout
// mix within the objectives (the open-model calibration), then offer 1×, 2× and 3× that rate for --duration
// seconds each, and 1× again to see it recover. Per class of route it prints goodput (2xx answers per second),
// the share refused with 429/503 (shed or rate limited, with Retry-After), errors, and p50/p99 of all answers.
//   node --import tsx bench/overload.ts [--duration 30] [--max-rps 400] [--save]
// The shop: all-in-one on a fresh PostgreSQL database (the shared test server) + Redis, in its own process.
import { parseArgs } from 'node:util';
import { loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { createPostgresTestDatabaseUrl } from '../test/support/databases.js';
import { runCalibration } from '../src/loadtest/run-calibration.js';
import { runLoadTest, type LoadTestResult } from '../src/loadtest/run-load-test.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    'max-rps': { type: 'string', default: '400' },
    save: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('node --import tsx bench/overload.ts [--duration 30] [--max-rps 400] [--save]\n  calibrates the spike mix, then offers 1×, 2×, 3× and 1× the sustained rate for --duration s each\n');
  process.exit(0);
}
const duration = Number(values.duration);
const maxRps = Number(values['max-rps']);
if (!(duration > 0) || !(maxRps > 0)) throw new Error('--duration and --max-rps must be positive numbers');
const log = (m: string) => process.stderr.write(`${m}\n`);
const admin = { email: 'bench-admin@example.com', password: 'bench-admin-password-1' };

// the classes the shop sheds in order (docs/limits.md "Priority load shedding"): browsing first, checkout last
const CLASSES: Record<string, string[]> = {
  browse: ['products', 'product', 'search'],
  session: ['auth.guest', 'auth.register'],
  cart: ['cart.create', 'cart.add', 'cart.view'],
  checkout: ['checkout', 'order.view'],
};

interface ClassRow { load: string; offeredRps: number; cls: string; answers: number; goodputRps: number; refusedShare: number; errors: number; p50: number; p99: number }

function classRows(load: string, offeredRps: number, run: LoadTestResult): ClassRow[] {
  return Object.entries(CLASSES).map(([cls, steps]) => {
    const rows = run.steps.filter((s) => steps.includes(s.step));
    const answers = rows.reduce((n, r) => n + r.count, 0);
    const ok = rows.reduce((n, r) => n + Object.entries(r.statuses).filter(([k]) => /^2\d\d$/.test(k)).reduce((m, [, v]) => m + v, 0), 0);
    const refused = rows.reduce((n, r) => n + r.refused, 0);
    // the class's p50/p99: the worst of its steps (the histograms are per step)
    return {
      load, offeredRps, cls, answers,
      goodputRps: Math.round((ok / run.durationSec) * 10) / 10,
      refusedShare: answers ? refused / answers : 0,
      errors: rows.reduce((n, r) => n + r.errors, 0),
      p50: Math.max(0, ...rows.map((r) => r.p50)),
      p99: Math.max(0, ...rows.map((r) => r.p99)),
    };
  });
}

const loadAtStart = loadNote();
log(`bench:overload — ${machineNote()}`);
const database = await createPostgresTestDatabaseUrl();
const shop = await startBenchTarget('shop', {
  DATABASE_URL: database.url,
  DATABASE_POOL_SIZE: '20',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `bench-overload-${Date.now()}`,
  FLOODGATE_DEMO_PRODUCTS: '100',
  FLOODGATE_ADMIN_EMAIL: admin.email,
  FLOODGATE_ADMIN_PASSWORD: admin.password,
  // one load generator on one address: the per-address limits would measure the limiter, not the shop
  RATE_LIMIT_GUEST_PER_ADDRESS: '1000000/1m',
  RATE_LIMIT_REGISTER_PER_ADDRESS: '1000000/1m',
  BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
});
const rows: ClassRow[] = [];
let sustained = 0;
try {
  const calibration = await runCalibration({ target: shop.url, admin, startRps: 10, maxRps, stepSec: 10, outDir: false, progress: process.stderr });
  sustained = calibration.result.sustainedRps;
  if (sustained === 0) throw new Error('the shop sustained no rate within the objectives; nothing to overload');
  for (const [load, factor] of [['1×', 1], ['2×', 2], ['3×', 3], ['1× after', 1]] as const) {
    const rps = Math.round(sustained * factor);
    log(`offering ${load} = ${rps} arrivals/s for ${duration} s`);
    const run = await runLoadTest({ scenario: 'spike', target: shop.url, admin, baselineRps: rps, multiplier: 1, durationSec: duration, rampSec: 0, holdSec: 0, recoverySec: 0, outDir: false, progress: false });
    rows.push(...classRows(load, rps, run));
  }
} finally {
  await shop.stop();
  await database.drop();
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const header = `| load | offered /s | class | answers | goodput /s | refused (429/503) | errors | p50 ms | p99 ms |\n|---|---:|---|---:|---:|---:|---:|---:|---:|`;
const body = rows.map((r) => `| ${r.load} | ${r.offeredRps} | ${r.cls} | ${r.answers} | ${r.goodputRps} | ${pct(r.refusedShare)} | ${r.errors} | ${r.p50} | ${r.p99} |`).join('\n');
const report = `bench:overload — ${new Date().toISOString()} — ${machineNote()}\nsustained (calibrated): ${sustained} arrivals/s; ${duration} s per load; ${loadAtStart} at the start, ${loadNote()} at the end\n\n${header}\n${body}\n`;
process.stdout.write(`\n${report}`);
if (values.save) log(`saved ${await saveResult('overload', { sustained, duration, rows })}`);
