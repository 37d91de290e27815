import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyEncryptionKey } from '../../platform/crypto/key-encryption-key.js';
import { checkPortFree } from '../startup-checks.js';
import { checkBackends, ensureDatabase } from './check-services.js';
import { startChild, waitUntilReady, type ClusterChild } from './cluster-process.js';
import { planCluster, processCount, upstreamsOf, type ClusterService, type ProcessSpec } from './cluster-topology.js';
import { ensureNginx, testNginxConfig } from './ensure-nginx.js';
import { readNginxTemplate, renderNginxConfig } from './nginx-config.js';
import { NODE_FLAGS } from '../../../bin/node-flags.js';

const START_CONCURRENCY = Math.max(2, availableParallelism());
const BIN = fileURLToPath(new URL('../../../bin/floodgate.js', import.meta.url));

export interface ClusterOptions {
  /** nginx's public port */
  port: number;
  /** state, logs, the key-encryption key */
  dir: string;
  /** names the database (floodgate_<name>), the RabbitMQ exchange and the Redis key prefix */
  name: string;
  /** first port of the processes (nginx's internal listener, the PSP, the APIs, the workers, in that order); 0 = any free ports */
  basePort: number;
  instances: Record<ClusterService, number>;
  workers: 'per-group' | 'one';
  seed: boolean;
  /** a server URL: the database part is replaced by floodgate_<name> unless `databaseName` is given */
  postgresUrl: string;
  redisUrl: string;
  amqpUrl: string;
  catalogReadRate: string;
  catalogReadBurst: number;
  /** addresses whose X-Forwarded-For nginx believes (a load generator); none at the edge */
  trustForwardedFrom: string[];
  readyTimeoutMs: number;
  progress: (line: string) => void;
  /** aborted (Ctrl-C while starting): stop what started and reject */
  signal?: AbortSignal;
}

export interface ClusterEntry {
  name: string;
  kind: ProcessSpec['kind'] | 'nginx';
  pid: number;
  port: number;
  url: string;
  upstream?: string;
  log: string;
}

export interface RunningCluster {
  url: string;
  internalUrl: string;
  entries: ClusterEntry[];
  logDir: string;
  /** a process that exits on its own after the start: name and how */
  onExit(listener: (entry: ClusterEntry, how: string) => void): void;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

/** the key every process seals and opens with: made once, kept in the cluster's folder (0600) */
function clusterKeyEncryptionKey(dir: string): string {
  if (process.env.FLOODGATE_KEY_ENCRYPTION_KEY) return process.env.FLOODGATE_KEY_ENCRYPTION_KEY;
  const file = join(dir, 'key-encryption-key');
  if (!existsSync(file)) writeFileSync(file, `${generateKeyEncryptionKey()}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** the key services sign their calls to each other with: made once, kept in the cluster's folder (0600) */
function clusterServiceKey(dir: string): string {
  if (process.env.FLOODGATE_SERVICE_KEY) return process.env.FLOODGATE_SERVICE_KEY;
  const file = join(dir, 'service-key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** a one-shot `floodgate <args>` (migrate, seed): its output goes to its log; a failure throws with the log's end */
async function runOnce(name: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): Promise<ClusterChild> {
  const child = startChild({ name, command: process.execPath, args: [...NODE_FLAGS, BIN, ...args], env, logFile: join(logDir, `${name}.log`) });
  const how = await child.exited;
  if (how !== 'exit code 0') throw new Error(`floodgate ${args.join(' ')} failed (${how}); the end of ${child.logFile}:\n${child.tail()}`);
  return child;
}

/**
 * The production topology on this machine: nginx on 127.0.0.1:<port> routing by path to each service's
 * instances, the worker processes and the fake PSP, on PostgreSQL + Redis + RabbitMQ. Resolves once
 * every process answers its readiness probe; a process that dies while starting stops all the others.
 */
export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const dir = resolve(o.dir);
  const logDir = join(dir, 'logs');
  const nginxDir = join(dir, 'nginx');
  const dataDir = join(dir, 'data');
  for (const d of [dir, logDir, nginxDir, dataDir]) mkdirSync(d, { recursive: true, mode: 0o700 });

  const nginx = await ensureNginx(o.progress);
  const databaseUrl = Object.assign(new URL(o.postgresUrl), { pathname: `/floodgate_${o.name.replace(/-/g, '_')}` }).toString();
  o.progress('checking PostgreSQL, Redis and RabbitMQ');
  await checkBackends({ databaseUrl, redisUrl: o.redisUrl, amqpUrl: o.amqpUrl });
  if (await ensureDatabase(databaseUrl)) o.progress(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  await checkPortFree('127.0.0.1', o.port, 'PORT');

  // every process: one deployment, so one key-encryption key (guests, signing keys and flash-sale secrets
  // sealed by one process are opened by the others), one database, one exchange, one Redis namespace
  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: o.redisUrl,
    AMQP_URL: o.amqpUrl,
    AMQP_EXCHANGE: `floodgate.${o.name}`,
    REDIS_KEY_PREFIX: `floodgate:${o.name}`,
    FLOODGATE_KEY_ENCRYPTION_KEY: clusterKeyEncryptionKey(dir),
    FLOODGATE_SERVICE_KEY: clusterServiceKey(dir),
    FLOODGATE_DATA_DIR: dataDir,
    // ~16 processes share one PostgreSQL (100 connections by default)
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '4',
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'json',
    // nginx on the loopback address passes the client's address in X-Forwarded-For
    TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
  };

  o.progress('migrating');
  await runOnce('migrate', ['migrate'], shared, logDir);
  if (o.seed) {
    o.progress('seeding the demo catalog (first start only; later starts find it)');
    const seeded = await runOnce('seed', ['seed'], shared, logDir);
    for (const line of seeded.tail(5).split('\n').filter((l) => /^(catalog|demo admin):/.test(l))) o.progress(line);
  }

  const count = processCount(o) + 1;
  const ports = o.basePort === 0 ? await Promise.all(Array.from({ length: count }, freePort)) : Array.from({ length: count }, (_, i) => o.basePort + i);
  if (o.basePort !== 0) for (const p of ports) await checkPortFree('127.0.0.1', p, '--base-port');
  let next = 0;
  const nextPort = () => ports[next++]!;
  const internalPort = nextPort();
  const internalUrl = `http://127.0.0.1:${internalPort}`;
  const specs = planCluster({ instances: o.instances, workers: o.workers, nextPort, internalUrl, pspLedgerFile: join(dataDir, 'fake-psp-ledger.jsonl') });

  const started: Array<{ entry: ClusterEntry; child: ClusterChild }> = [];
  let stopping = false;
  const listeners: Array<(entry: ClusterEntry, how: string) => void> = [];
  const launch = (spec: ProcessSpec) => {
    const env: NodeJS.ProcessEnv = { ...shared, ...spec.env };
    for (const name of spec.unset ?? []) delete env[name];
    const child = startChild({ name: spec.name, command: process.execPath, args: [...NODE_FLAGS, BIN, ...spec.args], env, logFile: join(logDir, `${spec.name}.log`) });
    const entry: ClusterEntry = { name: spec.name, kind: spec.kind, pid: child.pid, port: spec.port, url: `http://127.0.0.1:${spec.port}`, log: child.logFile, ...(spec.upstream ? { upstream: spec.upstream } : {}) };
    started.push({ entry, child });
    void child.exited.then((how) => !stopping && listeners.forEach((l) => l(entry, how)));
    return { entry, child, ready: () => waitUntilReady(child, `${entry.url}${spec.readyPath}`, o.readyTimeoutMs).then(() => o.progress(`${spec.name} ready (pid ${child.pid}, ${entry.url})`)) };
  };

  const stop = async () => {
    stopping = true;
    const byKind = (kind: ClusterEntry['kind']) => started.filter((s) => s.entry.kind === kind);
    // the edge first (it finishes what it is passing on), then the APIs drain, then the jobs, then the PSP
    for (const kinds of [['nginx'], ['api'], ['worker'], ['psp']] as const) {
      await Promise.all(kinds.flatMap((k) => byKind(k)).map(({ child }) => child.stop(child.name === 'nginx' ? 'SIGQUIT' : 'SIGTERM', 40_000)));
    }
  };

  try {
    o.progress(`starting ${specs.length} processes (logs in ${logDir})`);
    const [psp, ...rest] = specs;
    await launch(psp!).ready();
    // a few at a time: each spends seconds of CPU loading its code, and all at once on a small machine
    // only makes every one of them late (and the first failure slower to see)
    let queued = 0;
    await Promise.all(Array.from({ length: START_CONCURRENCY }, async () => {
      for (let i = queued++; i < rest.length && !stopping; i = queued++) {
        o.signal?.throwIfAborted();
        await launch(rest[i]!).ready();
      }
    }));

    const conf = join(nginxDir, 'nginx.conf');
    writeFileSync(conf, renderNginxConfig(await readNginxTemplate(), {
      stateDir: nginxDir,
      logDir,
      listen: `127.0.0.1:${o.port}`,
      internalListen: `127.0.0.1:${internalPort}`,
      upstreams: upstreamsOf(specs),
      catalogReadRate: o.catalogReadRate,
      catalogReadBurst: o.catalogReadBurst,
      trustForwardedFrom: o.trustForwardedFrom,
    }));
    o.signal?.throwIfAborted();
    await testNginxConfig(nginx, nginxDir, conf);
    const edge = startChild({ name: 'nginx', command: nginx, args: ['-p', nginxDir, '-c', conf, '-e', join(logDir, 'nginx-error.log'), '-g', 'daemon off;'], env: process.env, logFile: join(logDir, 'nginx.log') });
    const edgeEntry: ClusterEntry = { name: 'nginx', kind: 'nginx', pid: edge.pid, port: o.port, url: `http://127.0.0.1:${o.port}`, log: join(logDir, 'nginx-access.log') };
    started.push({ entry: edgeEntry, child: edge });
    void edge.exited.then((how) => !stopping && listeners.forEach((l) => l(edgeEntry, how)));
    // through nginx to an API process: the whole path answers
    await waitUntilReady(edge, `${edgeEntry.url}/readyz`, o.readyTimeoutMs);
    o.progress(`nginx ready (pid ${edge.pid}, ${edgeEntry.url})`);
  } catch (err) {
    await stop();
    throw err;
  }

  const entries = [started.at(-1)!.entry, ...started.slice(0, -1).map((s) => s.entry)];
  // written whole, then renamed into place: whoever waits for the file (a test, a script) never reads half of it
  const state = join(dir, 'cluster.json');
  writeFileSync(`${state}.tmp`, `${JSON.stringify({ url: entries[0]!.url, internalUrl, startedAt: new Date().toISOString(), processes: entries }, null, 2)}\n`);
  renameSync(`${state}.tmp`, state);
  return { url: entries[0]!.url, internalUrl, entries, logDir, onExit: (l) => void listeners.push(l), stop };
}
