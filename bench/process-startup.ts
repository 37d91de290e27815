// Startup and memory of each process of the production topology, from the compiled build: every
// `floodgate serve <service>`, every `floodgate worker <group>` and the fake PSP, started one at a time on
// the local PostgreSQL, Redis and RabbitMQ (a database and an exchange of its own, dropped at the end).
//   npm run build && npm run bench:process-startup -- [--runs 3] [--save]
// The first run of each process applies its migrations; the later ones find them in place (a restart).
// Wall time to /readyz moves with the machine's load; CPU time to ready and RSS much less: read those.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateKeyEncryptionKey } from '../src/platform/crypto/key-encryption-key.js';
import { ensureDatabase } from '../src/runtime/cluster/check-services.js';
import { SERVICE_NAMES, serviceUrlVariable } from '../src/runtime/service-names.js';
import { WORKER_GROUP_NAMES } from '../src/runtime/worker-groups.js';
import { freePort } from '../test/support/private-postgres.js';
import { deleteShopTopology } from '../test/support/rabbitmq-topology.js';
import { TEST_SERVICES } from '../test/support/services.js';
import { exitWithHelpWhenAsked, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { cpuMs, rssMiB } from './support/proc-stats.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, save: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/floodgate.js');
const log = (m: string) => process.stderr.write(`${m}\n`);
if (!existsSync(join(ROOT, 'dist/BUILD_STAMP'))) throw new Error('no build in dist/: run npm run build first');


const tag = randomBytes(4).toString('hex');
const databaseUrl = Object.assign(new URL(TEST_SERVICES.postgres), { pathname: `/floodgate_bstart_${tag}` }).toString();
const exchange = `floodgate.bstart${tag}`;
// every process of one deployment shares these; the other services' URLs are never called before ready
const shared: NodeJS.ProcessEnv = {
  ...process.env,
  HOST: '127.0.0.1',
  DATABASE_URL: databaseUrl,
  REDIS_URL: TEST_SERVICES.redis,
  REDIS_KEY_PREFIX: `floodgate:bstart${tag}`,
  AMQP_URL: TEST_SERVICES.rabbitmq,
  AMQP_EXCHANGE: exchange,
  FLOODGATE_KEY_ENCRYPTION_KEY: generateKeyEncryptionKey(),
  FLOODGATE_SERVICE_KEY: randomBytes(32).toString('hex'),
  FLOODGATE_PSP_URL: 'http://127.0.0.1:9',
  FLOODGATE_BUILD_DIR: 'dist',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  ...Object.fromEntries(SERVICE_NAMES.map((s) => [serviceUrlVariable(s), 'http://127.0.0.1:9'])),
};

interface Sample { process: string; run: number; readyMs: number; cpuMs: number; rssMiB: number }

async function startOnce(name: string, args: string[], readyPath: string, run: number): Promise<Sample> {
  const port = await freePort();
  const env = { ...shared, PORT: String(port), FAKE_PSP_PORT: String(port) };
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited early:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}${readyPath}`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`${name} not ready in 120 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return { process: name, run, readyMs: performance.now() - started, cpuMs: cpuMs(child.pid!), rssMiB: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const PROCESSES: Array<[string, string[], string]> = [
  ['fake-psp', ['serve', 'fake-psp'], '/healthz'],
  ...SERVICE_NAMES.map((s): [string, string[], string] => [`serve ${s}`, ['serve', s], '/readyz']),
  ...WORKER_GROUP_NAMES.map((g): [string, string[], string] => [`worker ${g}`, ['worker', g], '/readyz']),
];

log(`bench:process-startup — ${machineNote()}; ${loadNote()}; ${runs} runs per process`);
await ensureDatabase(databaseUrl);
const samples: Sample[] = [];
try {
  // the migrating first start of every process, then the restarts: a run is one pass over all of them
  for (let run = 1; run <= runs; run++) {
    for (const [name, args, readyPath] of PROCESSES) {
      const s = await startOnce(name, args, readyPath, run);
      samples.push(s);
      log(`  run ${run} ${name}: ready in ${s.readyMs.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms), RSS ${s.rssMiB.toFixed(0)} MiB`);
    }
  }
} finally {
  await deleteShopTopology(exchange).catch((e: unknown) => log(`could not delete exchange ${exchange}: ${String(e)}`));
  const client = new pg.Client({ connectionString: TEST_SERVICES.postgres });
  await client.connect();
  await client.query(`drop database if exists floodgate_bstart_${tag} with (force)`);
  await client.end();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rows = PROCESSES.map(([name]) => {
  const first = samples.find((s) => s.process === name && s.run === 1)!;
  const later = samples.filter((s) => s.process === name && s.run > 1);
  const restart = later.length ? later : [first];
  return {
    process: name,
    firstReadyMs: first.readyMs,
    firstCpuMs: first.cpuMs,
    restartReadyMsMedian: median(restart.map((s) => s.readyMs)),
    restartCpuMsMedian: median(restart.map((s) => s.cpuMs)),
    rssMiBMedian: median(samples.filter((s) => s.process === name).map((s) => s.rssMiB)),
  };
});
console.log('| process | first start: wall / CPU to ready (ms) | restart: wall / CPU to ready, median (ms) | RSS at ready, median (MiB) |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| \`${r.process}\` | ${r.firstReadyMs.toFixed(0)} / ${r.firstCpuMs.toFixed(0)} | ${r.restartReadyMsMedian.toFixed(0)} / ${r.restartCpuMsMedian.toFixed(0)} | ${r.rssMiBMedian.toFixed(0)} |`);
log(`load at the end: ${loadNote()}`);
if (values.save) log(`saved ${await saveResult('process-startup', { machine: machineNote(), rows, samples })}`);
