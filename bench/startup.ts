// Startup benchmark: time from spawn to /readyz 200 and resident memory of the all-in-one, run from
// the compiled build (npm run build) and from the TypeScript sources (tsx), same run, alternating.
//   npm run build && node --import tsx bench/startup.ts [--runs 5] [--save]
// Each run starts `floodgate start --no-seed` on a fresh data dir (first start: PGlite initdb and
// every migration) and then again on the same dir (a restart: migrations up to date).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitWithHelpWhenAsked, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { cpuMs, rssMiB } from './support/proc-stats.js';
import { freePort } from '../test/support/private-postgres.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, save: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/floodgate.js');
const log = (m: string) => process.stderr.write(`${m}\n`);
if (!existsSync(join(ROOT, 'dist/BUILD_STAMP'))) throw new Error('no build in dist/: run npm run build first');
// a stale build would make bin/floodgate.js fall back to tsx and both columns would measure the same thing
const probe = spawnSync(process.execPath, [join(ROOT, 'bin/floodgate.js'), '--version'], { env: { ...process.env, FLOODGATE_BUILD_DIR: 'dist' } });
if (probe.stderr.toString().includes('older than src')) throw new Error('dist/ is older than src/: run npm run build first');

type Mode = 'dist' | 'tsx';
interface Sample { mode: Mode; start: 'fresh' | 'restart'; readyMs: number; cpuMs: number; rssMiB: number }


async function startOnce(mode: Mode, dataDir: string, start: Sample['start']): Promise<Sample> {
  const port = await freePort();
  // a build dir that does not exist makes bin/floodgate.js run the sources
  const env = { ...process.env, PORT: String(port), FLOODGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', FLOODGATE_BUILD_DIR: mode === 'dist' ? 'dist' : '.no-build' };
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start', '--no-seed'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited early:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`not ready in 120 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const readyMs = performance.now() - started;
    return { mode, start, readyMs, cpuMs: cpuMs(child.pid!), rssMiB: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

log(`bench:startup — ${machineNote()}; ${loadNote()}; ${runs} runs per mode`);
const samples: Sample[] = [];
for (let i = 0; i < runs; i++) {
  for (const mode of ['dist', 'tsx'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'floodgate-startup-'));
    try {
      for (const start of ['fresh', 'restart'] as const) {
        const s = await startOnce(mode, dataDir, start);
        samples.push(s);
        log(`  ${mode} ${start}: ready in ${s.readyMs.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms), RSS ${s.rssMiB.toFixed(0)} MiB`);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

// the code-loading part alone: `floodgate --help` loads the CLI (main.js and what it imports) and exits
// (CPU time of the child, from bash's `times`: wall time of a 1-second command is mostly the machine's load)
async function helpMs(mode: Mode): Promise<number> {
  const out = execFileSync('bash', ['-c', `"${process.execPath}" "${BIN}" --help > /dev/null; times`], { env: { ...process.env, FLOODGATE_BUILD_DIR: mode === 'dist' ? 'dist' : '.no-build' } }).toString();
  const children = out.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return seconds * 1000;
}
const help: Record<Mode, number[]> = { dist: [], tsx: [] };
for (let i = 0; i < runs * 2; i++) for (const mode of ['dist', 'tsx'] as const) help[mode].push(await helpMs(mode));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rows = (['dist', 'tsx'] as const).flatMap((mode) => (['fresh', 'restart'] as const).map((start) => {
  const of = samples.filter((s) => s.mode === mode && s.start === start);
  return { mode, start, readyMsMedian: median(of.map((s) => s.readyMs)), readyMsMin: Math.min(...of.map((s) => s.readyMs)), cpuMsMedian: median(of.map((s) => s.cpuMs)), rssMiBMedian: median(of.map((s) => s.rssMiB)) };
}));
console.log('| code | start | wall to ready (median ms) | wall (min ms) | CPU to ready (median ms) | RSS at ready (median MiB) |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.mode} | ${r.start} | ${r.readyMsMedian.toFixed(0)} | ${r.readyMsMin.toFixed(0)} | ${r.cpuMsMedian.toFixed(0)} | ${r.rssMiBMedian.toFixed(0)} |`);
for (const mode of ['dist', 'tsx'] as const) console.log(`| ${mode} | \`floodgate --help\` (code loading only) | — | — | ${median(help[mode]).toFixed(0)} | — |`);
log(`load at the end: ${loadNote()}`);
if (values.save) log(`saved ${await saveResult('startup', { machine: machineNote(), rows, samples, helpMs: help })}`);
