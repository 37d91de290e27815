import { Command, InvalidArgumentError, Option } from 'commander';
import { CLUSTER_SERVICES, type ClusterService } from './cluster-topology.js';
import { formatProcessTable } from './process-table.js';
import { startCluster } from './start-cluster.js';

const wholeNumber = (max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`a whole number from 1 to ${max}`);
  return n;
};
const count = wholeNumber(16);
const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number (0 = any free port)');
  return n;
};
const rate = (v: string) => {
  if (!/^\d+r\/[sm]$/.test(v)) throw new InvalidArgumentError('a rate such as 50r/s or 600r/m');
  return v;
};

const program = new Command()
  .name('npm run cluster --')
  .description(
    'Run Floodgate\'s production topology on this machine: nginx on 127.0.0.1:PORT routing /v1/* by path to one\n' +
      'upstream per service (catalog and flash-sales with 2 instances), the worker processes and the fake PSP, on\n' +
      'PostgreSQL + Redis + RabbitMQ. Installs nginx when missing (Debian), creates and migrates its own database,\n' +
      'seeds the demo catalog on first start, waits until every process is ready, keeps every log in <dir>/logs and\n' +
      'stops everything it started on Ctrl-C / SIGTERM. Every other setting (FLOODGATE_ADMIN_*, FLOODGATE_OPS_TOKEN,\n' +
      'LOG_LEVEL, limits …) is passed to every process from the environment. See docs/operations.md.',
  )
  .addOption(new Option('--port <port>', 'nginx\'s port (the shop\'s address)').env('PORT').default(8080).argParser(port))
  .option('--dir <dir>', 'state, logs and the key-encryption key', './.floodgate/cluster')
  .option('--name <name>', 'names the database (floodgate_<name>), the RabbitMQ exchange and the Redis key prefix', 'cluster')
  .option('--base-port <port>', 'first port of the processes, one each after it (0 = any free ports)', port, 0)
  .option('--catalog <n>', 'catalog instances', count, 2)
  .option('--flash-sales <n>', 'flash-sales instances', count, 2)
  .option('--instances <service=n...>', 'instances of any service, e.g. orders=2 carts=2')
  .addOption(new Option('--workers <layout>', 'one worker process per group, or one for all groups').choices(['per-group', 'one']).default('per-group'))
  .option('--no-seed', 'do not seed the demo catalog')
  .addOption(new Option('--postgres-url <url>', 'the PostgreSQL server (its database part is replaced by floodgate_<name>)').env('CLUSTER_POSTGRES_URL').default('postgres://postgres@127.0.0.1:5432/postgres'))
  .addOption(new Option('--redis-url <url>', 'Redis').env('REDIS_URL').default('redis://127.0.0.1:6379'))
  .addOption(new Option('--amqp-url <url>', 'RabbitMQ').env('AMQP_URL').default('amqp://guest:guest@127.0.0.1:5672'))
  .option('--catalog-read-rate <rate>', 'anonymous catalog reads per client address at the edge (nginx limit_req)', rate, '50r/s')
  .option('--catalog-read-burst <n>', 'burst above that rate before 429s', wholeNumber(100_000), 100)
  .option('--trust-forwarded-from <addresses...>', 'addresses whose X-Forwarded-For nginx believes (a load generator in front); none by default', [])
  .option('--ready-timeout <seconds>', 'longest wait for a process to be ready', wholeNumber(3_600), 180);

program.parse();
const opts = program.opts<{
  port: number; dir: string; name: string; basePort: number; catalog: number; flashSales: number; instances?: string[];
  workers: 'per-group' | 'one'; seed: boolean; postgresUrl: string; redisUrl: string; amqpUrl: string;
  catalogReadRate: string; catalogReadBurst: number; trustForwardedFrom: string[]; readyTimeout: number;
}>();

if (!/^[a-z][a-z0-9-]{0,30}$/.test(opts.name)) program.error('--name: lowercase letters, digits and - (at most 31), starting with a letter');
const instances = Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, 1])) as Record<ClusterService, number>;
instances.catalog = opts.catalog;
instances['flash-sales'] = opts.flashSales;
for (const item of opts.instances ?? []) {
  const [service, n] = item.split('=');
  if (!(CLUSTER_SERVICES as readonly string[]).includes(service ?? '')) program.error(`--instances: unknown service "${service}" (one of ${CLUSTER_SERVICES.join(', ')})`);
  instances[service as ClusterService] = count(n ?? '');
}

const started = Date.now();
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
process.stderr.write(`Starting the Floodgate cluster on 127.0.0.1:${opts.port} (${opts.dir})\n`);

const starting = new AbortController();
const early = (signal: NodeJS.Signals) => {
  // a signal while starting: startCluster's failure path stops what it started
  process.stderr.write(`\n${signal} while starting: stopping what started…\n`);
  starting.abort(new Error(`${signal} while starting`));
};
process.on('SIGINT', early).on('SIGTERM', early);

try {
  const cluster = await startCluster({
    port: opts.port, dir: opts.dir, name: opts.name, basePort: opts.basePort, instances, workers: opts.workers, seed: opts.seed,
    postgresUrl: opts.postgresUrl, redisUrl: opts.redisUrl, amqpUrl: opts.amqpUrl,
    catalogReadRate: opts.catalogReadRate, catalogReadBurst: opts.catalogReadBurst, trustForwardedFrom: opts.trustForwardedFrom,
    readyTimeoutMs: opts.readyTimeout * 1000, progress, signal: starting.signal,
  });
  process.off('SIGINT', early).off('SIGTERM', early);
  let stopping = false;
  const stopAll = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${why}: stopping every process…\n`);
    await cluster.stop();
    process.stderr.write('stopped\n');
    process.exit(code);
  };
  process.stdout.write(`\n${formatProcessTable(cluster.entries)}\n\nShop: ${cluster.url}/v1/products   Logs: ${cluster.logDir}   Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.\n`);
  cluster.onExit((entry, how) => {
    if (entry.kind === 'nginx') return void stopAll(`nginx (pid ${entry.pid}) stopped (${how})`, 1);
    // nginx routes around a lost instance (passive health): the rest keeps serving
    process.stderr.write(`${entry.name} (pid ${entry.pid}) stopped: ${how}; see ${entry.log}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write('second signal: killing\n');
        for (const e of cluster.entries) if (e.pid > 0) try { process.kill(e.pid, 'SIGKILL'); } catch { /* gone */ }
        process.exit(1);
      }
      void stopAll(signal, 0);
    });
  }
} catch (err) {
  if (starting.signal.aborted) process.exit(0);
  process.stderr.write(`floodgate cluster: ${(err as Error).message}\n`);
  process.exit(1);
}
