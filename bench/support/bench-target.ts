import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../../bin/build-freshness.js';
import { NODE_FLAGS } from '../../bin/node-flags.js';
import { freePort } from '../../test/support/private-postgres.js';
import { GENEROUS_LIMITS_ENV, TEST_SHEDDING_ENV } from '../../test/support/test-limits.js';

export interface BenchTarget {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./serve-target.ts', import.meta.url));
const FLOOR_SCRIPT = fileURLToPath(new URL('./serve-floor.ts', import.meta.url));
const log = (m: string) => process.stderr.write(`${m}\n`);

/**
 * Starts the ceiling (bare Fastify hello world), the floors (serve-floor.ts) or the all-in-one shop in a child process.
 * The shop is `floodgate start` itself, from the compiled build, when `dist/` is current: the process an operator
 * runs, so its CPU and memory are the ones a benchmark reports (the sources through tsx hold ~50 MiB more).
 * Otherwise the sources, through serve-target.ts. Request logs are discarded but still written, so logging
 * cost is measured.
 */
export function startBenchTarget(kind: 'hello' | 'shop' | 'floor', env: NodeJS.ProcessEnv = {}): Promise<BenchTarget> {
  if (kind === 'shop' && buildIsCurrent(ROOT, join(ROOT, 'dist'))) return startBuiltShop(env);
  if (kind === 'shop') log('  shop: the sources through tsx (dist/ is missing or older than src/: npm run build)');
  const child = fork(kind === 'floor' ? FLOOR_SCRIPT : SCRIPT, [kind], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the ${kind} server exited with code ${code} before it listened`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message: { url?: string }) => {
      child.off('exit', onExit);
      if (!message.url) return reject(new Error(`the ${kind} server sent no URL`));
      resolve({ url: message.url, pid: child.pid, stop: () => stopChild(child, () => child.send('stop')) });
    });
  });
}

/**
 * What a benchmark's shop is told besides the caller's env: limits nobody reaches (a benchmark measures what an
 * endpoint costs, not where a limit cuts one client off; set RATE_LIMIT_* to measure that), and test shedding
 * thresholds unless BENCH_PRODUCTION_SHEDDING=1 (bench:overload measures the shedding itself).
 */
export function benchShopEnv(): Record<string, string> {
  return process.env.BENCH_PRODUCTION_SHEDDING === '1'
    ? Object.fromEntries(Object.entries(GENEROUS_LIMITS_ENV).filter(([name]) => !(name in TEST_SHEDDING_ENV)))
    : GENEROUS_LIMITS_ENV;
}

async function startBuiltShop(env: NodeJS.ProcessEnv): Promise<BenchTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'floodgate-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  log('  shop: floodgate start from the compiled build (dist/)');
  // BENCH_CPU_PROF_DIR=<dir>: the shop writes a V8 CPU profile there when it stops (node refuses --cpu-prof in NODE_OPTIONS)
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : [];
  const child = spawn(process.execPath, [...profile, ...NODE_FLAGS, join(ROOT, 'bin/floodgate.js'), 'start'], {
    cwd: ROOT,
    env: {
      ...benchShopEnv(),
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      FLOODGATE_DATA_DIR: dataDir,
      FLOODGATE_BUILD_DIR: 'dist',
      LOG_FORMAT: 'json',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanUp();
      throw new Error(`the shop exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`);
    }
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (performance.now() - started > 180_000) {
      await stopChild(child, () => child.kill('SIGTERM'));
      cleanUp();
      throw new Error(`the shop was not ready within 180 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`  shop: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    url,
    pid: child.pid,
    stop: async () => {
      await stopChild(child, () => child.kill('SIGTERM'));
      cleanUp();
    },
  };
}

/** asks the child to stop, and kills it if it has not exited 15 s later */
function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    ask();
  });
}
