import { InvalidArgumentError, type Command } from 'commander';
import { loadCalibration, spikeFromCalibration } from './calibrate.js';
import { DEFAULT_OBJECTIVES } from './objectives.js';
import { runCalibration } from './run-calibration.js';
import { runLoadTest, type RunLoadTestOptions } from './run-load-test.js';
import { scenarios } from './scenarios/index.js';
import { formatResult } from './text-report.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** "90", "90s", "3m", "1.5m", "500ms" → seconds */
export function parseSeconds(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`"${value}" is not a duration; use seconds (30), or 30s, 3m, 500ms`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" must be a positive number`);
  return n;
};
const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${value}" must be a positive whole number`);
  return n;
};
const ratio = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`"${value}" must be between 0 and 1`);
  return n;
};
const nonNegative = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" must be 0 or more`);
  return n;
};

interface CliOptions {
  target: string;
  rps?: number;
  duration?: number;
  baselineRps?: number;
  multiplier?: number;
  ramp?: number;
  hold?: number;
  recovery?: number;
  thinkTime?: number;
  cartRatio?: number;
  checkoutRatio?: number;
  registerRatio?: number;
  declineRatio?: number;
  buyRatio?: number;
  hotVariants?: number;
  maxInFlight?: number;
  connections?: number;
  timeout?: number;
  settleTimeout?: number;
  adminEmail?: string;
  adminPassword?: string;
  seed?: number;
  customers?: number;
  stock?: number;
  limit?: number;
  admissionRate?: number;
  sloP99?: number;
  sloErrorRate?: number;
  startRps?: number;
  maxRps?: number;
  step?: number;
  refine?: number;
  outDir: string;
  report: boolean;
  progress: boolean;
}

/** adds `loadtest <scenario> --target URL [options]`; the process exit code is 1 when a correctness check or an objective fails */
export function registerLoadtestCommand(program: Command): Command {
  return program
    .command('loadtest')
    .description('Run a load-test scenario against a Floodgate on this machine and write an HTML report to reports/')
    .argument('<scenario>', `one of: ${Object.keys(scenarios).join(', ')}; or calibrate (the rate this machine sustains within the objectives, which sizes spike's defaults)`)
    .requiredOption('--target <url>', 'base URL of the shop (loopback only)', 'http://127.0.0.1:8080')
    .option('--rps <n>', 'arrivals per second (browse 50, funnel 5)', positive)
    .option('--duration <s>', 'seconds of steady load (browse 30, funnel 60); spike: baseline before the ramp (30)', parseSeconds)
    .option('--baseline-rps <n>', 'spike: arrivals per second before and after the spike (20)', positive)
    .option('--multiplier <n>', 'spike: peak = baseline × multiplier (20)', positive)
    .option('--ramp <s>', 'spike: seconds to climb to the peak (10)', parseSeconds)
    .option('--hold <s>', 'spike: seconds at the peak (60)', parseSeconds)
    .option('--recovery <s>', 'spike: seconds back at baseline after the peak (180)', parseSeconds)
    .option('--think-time <ms>', 'mean pause between a visitor\'s steps (funnel 1000, spike 200)', nonNegative)
    .option('--cart-ratio <r>', 'funnel: share of visitors who add to a cart (0.3)', ratio)
    .option('--checkout-ratio <r>', 'share of carts that check out (funnel 0.4, spike 0.8)', ratio)
    .option('--register-ratio <r>', 'share of buyers who register rather than shop as guests (funnel 0.3, spike 0)', ratio)
    .option('--decline-ratio <r>', 'share of checkouts paying with tok_declined (funnel 0.1, spike 0.05)', ratio)
    .option('--buy-ratio <r>', 'spike: share of arrivals that buy (0.02)', ratio)
    .option('--hot-variants <n>', 'variants buyers choose from (10)', positive)
    .option('--max-in-flight <n>', 'concurrent flows before arrivals are dropped (5000)', positive)
    .option('--connections <n>', 'keep-alive connections to the target (128)', positive)
    .option('--timeout <ms>', 'per-request timeout (10000)', positive)
    .option('--settle-timeout <s>', 'how long acknowledged orders may take to reach a final status (60)', parseSeconds)
    .option('--admin-email <email>', 'admin login for the oversell check (env FLOODGATE_ADMIN_EMAIL)')
    .option('--admin-password <password>', 'admin password (env FLOODGATE_ADMIN_PASSWORD)')
    .option('--customers <n>', 'flash: virtual customers (1000); they arrive over --customers/--rps seconds (rps default customers/10)', positiveInt)
    .option('--stock <n>', 'flash: units in the sale the run creates (100)', positiveInt)
    .option('--limit <n>', 'flash: per-customer limit of that sale (1)', positiveInt)
    .option('--admission-rate <n>', 'flash: customers admitted per second (100)', positive)
    .option('--slo-p99 <ms>', `objective: each step's p99 at most this many ms (${DEFAULT_OBJECTIVES.p99Ms}); a miss fails the run`, positive)
    .option('--slo-error-rate <r>', `objective: each step's share of unexpected answers at most this (${DEFAULT_OBJECTIVES.errorRate}); a miss fails the run`, ratio)
    .option('--start-rps <n>', 'calibrate: first rate tried (10); doubles until a trial misses, then bisects', positive)
    .option('--max-rps <n>', 'calibrate: highest rate offered (2000)', positive)
    .option('--step <s>', 'calibrate: seconds per trial (15)', (v: string) => positive(String(parseSeconds(v))))
    .option('--refine <n>', 'calibrate: bisection trials after the first miss (3)', (v: string) => (v === '0' ? 0 : positiveInt(v)))
    .option('--seed <n>', 'replay the same visitor choices', Number)
    .option('--out-dir <dir>', 'where reports go', 'reports')
    .option('--no-report', 'write no HTML/JSON files')
    .option('--no-progress', 'no live progress line on stderr')
    .action(async (scenario: string, o: CliOptions) => {
      // against the local demo shop, its generated admin (npm start writes it) turns the oversell check on
      const demo = demoAdmin(process.env.FLOODGATE_DATA_DIR ?? '.floodgate');
      const email = o.adminEmail ?? process.env.FLOODGATE_ADMIN_EMAIL ?? demo?.email;
      const password = o.adminPassword ?? process.env.FLOODGATE_ADMIN_PASSWORD ?? demo?.password;
      const interrupt = new AbortController();
      // first Ctrl-C ends the schedule and still reports; the second one exits
      const onSigint = () => {
        if (interrupt.signal.aborted) process.exit(130);
        process.stderr.write('\nstopping the schedule; draining, checking and reporting (Ctrl-C again to quit)\n');
        interrupt.abort();
      };
      process.on('SIGINT', onSigint);
      const sized = scenario === 'spike' ? await spikeSize(o) : {};
      const options: RunLoadTestOptions = {
        scenario,
        target: o.target,
        rps: o.rps,
        durationSec: o.duration,
        baselineRps: o.baselineRps ?? sized.baselineRps,
        multiplier: o.multiplier ?? sized.multiplier,
        rampSec: o.ramp,
        holdSec: o.hold,
        recoverySec: o.recovery,
        thinkTimeMs: o.thinkTime,
        cartRatio: o.cartRatio,
        checkoutRatio: o.checkoutRatio,
        registerRatio: o.registerRatio,
        declineRatio: o.declineRatio,
        buyRatio: o.buyRatio,
        hotVariants: o.hotVariants,
        maxInFlight: o.maxInFlight,
        connections: o.connections,
        timeoutMs: o.timeout,
        settleTimeoutMs: o.settleTimeout === undefined ? undefined : o.settleTimeout * 1000,
        admin: email && password ? { email, password } : undefined,
        customers: o.customers,
        stock: o.stock,
        perCustomerLimit: o.limit,
        admissionRatePerSecond: o.admissionRate,
        seed: o.seed,
        outDir: o.report ? o.outDir : false,
        progress: o.progress ? process.stderr : false,
        signal: interrupt.signal,
        objectives: { p99Ms: o.sloP99, errorRate: o.sloErrorRate },
      };
      try {
        if (scenario === 'calibrate') {
          const { result } = await runCalibration({
            ...options,
            outDir: o.report ? o.outDir : false,
            progress: o.progress ? process.stderr : false,
            startRps: o.startRps,
            maxRps: o.maxRps,
            stepSec: o.step,
            refineSteps: o.refine,
          });
          process.stdout.write(`${JSON.stringify({ target: result.target, sustainedRps: result.sustainedRps, objectives: result.objectives })}\n`);
          if (result.sustainedRps === 0) process.exitCode = 1;
          return;
        }
        const result = await runLoadTest(options);
        process.stdout.write(`${formatResult(result)}\n`);
        if (!result.passed) process.exitCode = 1;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

/** spike's shape when neither --baseline-rps nor --multiplier was given: from this target's calibration, if any */
async function spikeSize(o: CliOptions): Promise<{ baselineRps?: number; multiplier?: number }> {
  if (o.baselineRps !== undefined || o.multiplier !== undefined) return {};
  const calibration = await loadCalibration(o.outDir, o.target);
  if (!calibration) {
    process.stderr.write(`no calibration for ${o.target} in ${o.outDir}/: the spike uses fixed defaults (20/s × 20), which may saturate this machine; run \`floodgate loadtest calibrate --target ${o.target}\` first to size it\n`);
    return {};
  }
  const size = spikeFromCalibration(calibration.sustainedRps);
  process.stderr.write(`spike sized from the calibration of ${calibration.measuredAt} (${calibration.sustainedRps}/s sustained): baseline ${size.baselineRps}/s × ${size.multiplier}\n`);
  return size;
}

/** the admin `npm start` generated in this data dir, if any */
export function demoAdmin(dataDir: string): { email: string; password: string } | undefined {
  const file = join(dataDir, 'demo-admin.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { email?: unknown; password?: unknown };
    return typeof parsed.email === 'string' && typeof parsed.password === 'string' ? { email: parsed.email, password: parsed.password } : undefined;
  } catch {
    return undefined;
  }
}

