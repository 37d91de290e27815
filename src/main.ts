import { resolve } from 'node:path';
import { Argument, Command } from 'commander';
import { ConfigError, loadConfig, requireServeSettings, requireStartSettings, type Config } from './config.js';
import { StartupError } from './platform/startup-error.js';
import { registerLoadtestCommand } from './loadtest/loadtest-command.js';
import { registerPreflightCommand } from './preflight/preflight-command.js';
import { printBanner } from './runtime/banner.js';
import { describeDatabase } from './runtime/open-database.js';
import { demoAdminFile } from './runtime/demo-admin-file.js';
import { SERVICE_NAMES, type ServiceName } from './runtime/service-names.js';
import { WORKER_GROUP_NAMES, type WorkerGroup } from './runtime/worker-groups.js';

const program = new Command()
  .name('floodgate')
  .description('Floodgate: an ecommerce backend that keeps selling when traffic jumps 10-100x.\nConfiguration comes from the environment (HOST, PORT, FLOODGATE_DATA_DIR, DATABASE_URL, FLOODGATE_ADMIN_EMAIL/PASSWORD …); see README.md.')
  .version('0.1.0')
  .showHelpAfterError('(run floodgate --help for the commands)');

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    // one line naming the variable and what it expects (ConfigError never echoes a value: URLs carry passwords)
    console.error(`floodgate: ${(err as Error).message}`);
    process.exit(2);
  }
}

/** a command's own settings check (requireServeSettings …): one line naming the variable, exit 2 */
function checkSettings(check: () => void) {
  try {
    check();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`floodgate: ${err.message}`);
    process.exit(2);
  }
}

const progress = (step: string) => process.stderr.write(`  … ${step}\n`);

/**
 * Stop cleanly on Ctrl-C / SIGTERM: drain, finish workers, close the database. A second signal, or a stop
 * that outlives the drain timeout by 15 s (a dependency that never answers), exits at once.
 */
function stopOn(stop: () => Promise<void>, cfg: Config) {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`\n${signal}: draining and stopping…\n`);
      setTimeout(() => {
        process.stderr.write('stop did not finish in time; exiting\n');
        process.exit(1);
      }, cfg.shutdown.timeoutMs + 15_000).unref();
      stop().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
    });
  }
}

program
  .command('start')
  .description('run the whole shop in one process: embedded PostgreSQL (PGlite), demo data, fake payment provider')
  .option('--no-seed', 'do not seed the demo catalog and demo admin')
  .action(async (opts: { seed: boolean }) => {
    const cfg = config();
    checkSettings(() => requireStartSettings(cfg));
    process.stderr.write(`Starting Floodgate (all-in-one, ${describeDatabase(cfg)})\n`);
    const { startAllInOne } = await import('./runtime/all-in-one.js');
    const shop = await startAllInOne({ config: cfg, seed: opts.seed, onProgress: progress });
    // from process start, so the banner tells what the operator waited (code loading included)
    printBanner({ shop, config: cfg, startedInMs: process.uptime() * 1000 });
    stopOn(shop.stop, cfg);
  });

program
  .command('migrate')
  .description('apply pending database migrations of every service, then exit')
  .action(async () => {
    const cfg = config();
    const { runMigrations } = await import('./runtime/admin-commands.js');
    for (const report of await runMigrations(cfg)) console.log(`${report.schema}: ${report.applied.length ? report.applied.join(', ') : 'up to date'}`);
  });

program
  .command('seed')
  .description('seed the demo catalog, stock and demo admin (idempotent), then exit')
  .option('--products <n>', 'number of demo products', (v) => Number.parseInt(v, 10))
  .action(async (opts: { products?: number }) => {
    const cfg = config();
    const { runSeed } = await import('./runtime/admin-commands.js');
    const result = await runSeed({ ...cfg, demoProducts: opts.products ?? cfg.demoProducts }, progress);
    console.log(`catalog: ${result.products} products, ${result.variants} variants`);
    if (result.admin) console.log(`demo admin: ${result.admin.email} (password in ${demoAdminFile(cfg.dataDir)})`);
  });

program
  .command('serve')
  .description('run one service (or the fake PSP) as its own process (production topology; docs/operations.md); `docs` serves the document of the whole API (/v1/openapi.json, /docs) and no operation, without a database')
  .addArgument(new Argument('<component>', 'what to serve').choices([...SERVICE_NAMES, 'docs', 'fake-psp']))
  .option('--ledger <file>', 'fake-psp: append decisions to this file and reload it on start (overrides FAKE_PSP_LEDGER_FILE)')
  .action(async (component: string, opts: { ledger?: string }) => {
    const cfg = { ...config(), ...(opts.ledger ? { fakePspLedgerFile: resolve(opts.ledger) } : {}) };
    if (component === 'docs') {
      checkSettings(() => requireServeSettings(cfg, 'docs'));
      const { startDocsProcess } = await import('./runtime/docs-process.js');
      const running = await startDocsProcess({ config: cfg });
      console.log(`floodgate docs listening on ${running.url}: a document server (the whole API's ${running.url}/v1/openapi.json and ${running.url}/docs, ${running.operations} operations); it serves none of them and opens no database`);
      stopOn(running.stop, cfg);
      return;
    }
    if (component !== 'fake-psp') {
      const service = component as ServiceName;
      checkSettings(() => requireServeSettings(cfg, service));
      const { startServiceProcess } = await import('./runtime/service-process.js');
      const running = await startServiceProcess({ config: cfg, service });
      console.log(`floodgate ${service} listening on ${running.url}${running.workers.length ? ` (jobs: ${running.workers.join(', ')})` : ''}`);
      stopOn(running.stop, cfg);
      return;
    }
    const { serveFakePsp } = await import('./runtime/admin-commands.js');
    const { url, stop } = await serveFakePsp(cfg);
    console.log(`fake PSP listening on ${url} (tokens: tok_visa, tok_declined, tok_slow, tok_flaky)`);
    stopOn(stop, cfg);
  });

program
  .command('worker')
  .description('run background jobs as their own process (production topology; API processes then run with FLOODGATE_WORKERS=none)')
  .addArgument(new Argument('<groups...>', 'which jobs: all, or any of the groups').choices(['all', ...WORKER_GROUP_NAMES]))
  .action(async (groups: string[]) => {
    const cfg = config();
    const { startWorkerProcess } = await import('./runtime/worker-process.js');
    const selected = groups.includes('all') ? [...WORKER_GROUP_NAMES] : (groups as WorkerGroup[]);
    const running = await startWorkerProcess({ config: cfg, groups: selected });
    console.log(`floodgate worker running ${running.workers.join(', ')}; probes and metrics on ${running.url}`);
    stopOn(running.stop, cfg);
  });

const keys = program.command('keys').description('token-signing keys and the key-encryption key (see docs/security.md)');

keys
  .command('rotate')
  .description('sign new tokens with a fresh key; the previous key stays published until retired')
  .action(async () => {
    const { rotateSigningKey } = await import('./runtime/admin-commands.js');
    const { kid, previousKid } = await rotateSigningKey(config());
    console.log(`signing with ${kid}; ${previousKid ? `${previousKid} stays published: retire it after the longest token lifetime (2 h)` : 'no previous key'}`);
  });

keys
  .command('retire')
  .description('stop publishing a stepped-down key: every token it signed stops verifying')
  .argument('<kid>', 'the key id, as listed in /.well-known/jwks.json')
  .action(async (kid: string) => {
    const { retireSigningKey } = await import('./runtime/admin-commands.js');
    const result = await retireSigningKey(config(), kid);
    if (!result.ok) {
      console.error(result.code === 'CUSTOMERS_SIGNING_KEY_ACTIVE' ? `${kid} still signs new tokens: rotate first` : `${kid}: no such signing key`);
      process.exit(1);
    }
    console.log(`retired ${kid}`);
  });

keys
  .command('rewrap')
  .description('re-wrap every stored secret with the current FLOODGATE_KEY_ENCRYPTION_KEY, after rotating it')
  .action(async () => {
    const { rewrapSecrets } = await import('./runtime/admin-commands.js');
    for (const r of await rewrapSecrets(config())) console.log(`${r.service}: ${r.rewrapped} of ${r.scanned} re-wrapped`);
  });

const outbox = program.command('outbox').description('inspect and requeue events the outbox relay parked (poison events)');
outbox
  .command('parked')
  .description('list the parked events of one service outbox, oldest first, with the reason')
  .argument('<schema>', 'the service schema: orders, payments, inventory …')
  .action(async (schema: string) => {
    const { listParked } = await import('./runtime/admin-commands.js');
    const parked = await listParked(config(), schema).catch((err: Error) => { console.error(err.message); process.exit(2); });
    for (const e of parked) console.log(`${e.id}  ${e.type}  attempts=${e.attempts}  parked=${e.parkedAt.toISOString()}  ${e.lastError ?? ''}`);
    console.log(`${parked.length} parked in ${schema}.outbox`);
  });
outbox
  .command('requeue')
  .description('give parked events a fresh set of attempts (all of the outbox, or only the ids given), once their cause is fixed')
  .argument('<schema>', 'the service schema: orders, payments, inventory …')
  .argument('[ids...]', 'event ids from `floodgate outbox parked`; none = every parked event')
  .action(async (schema: string, ids: string[]) => {
    const { requeueParked } = await import('./runtime/admin-commands.js');
    const requeued = await requeueParked(config(), schema, ids).catch((err: Error) => { console.error(err.message); process.exit(2); });
    console.log(`requeued ${requeued} event(s) in ${schema}.outbox; a running relay publishes them within its idle poll`);
  });

const dlq = program.command('dlq').description('inspect, replay and drop the poison events of a RabbitMQ subscriber (AMQP_URL; see docs/operations.md)');
/** the DLQ of one subscriber under AMQP_URL/AMQP_EXCHANGE, or one line and exit 2 without AMQP_URL */
function dlqTarget(subscriber: string) {
  const cfg = config();
  if (!cfg.amqp) {
    console.error('floodgate: AMQP_URL is required by `floodgate dlq`: dead-letter queues exist only with events on RabbitMQ (the in-process bus parks poison events in the outbox: `floodgate outbox parked`)');
    process.exit(2);
  }
  return { url: cfg.amqp.url, exchange: cfg.amqp.exchange, subscriber };
}
dlq
  .command('list')
  .description('the oldest poison events of one subscriber, with the reason; they stay in the DLQ')
  .argument('<subscriber>', 'the subscriber name, e.g. payments.record-placed-order')
  .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 100)
  .action(async (subscriber: string, opts: { limit: number }) => {
    const { listDeadEvents } = await import('./platform/bus/rabbitmq-dlq.js');
    const dead = await listDeadEvents(dlqTarget(subscriber), opts.limit);
    for (const d of dead) console.log(`${d.id}  ${d.type}  attempts=${d.attempts}  failed=${d.failedAt ?? '?'}  ${d.reason}`);
    console.log(`${dead.length} listed from ${subscriber}'s dead-letter queue`);
  });
dlq
  .command('replay')
  .description('send poison events back to their subscriber with fresh attempts, once the cause is fixed')
  .argument('<subscriber>', 'the subscriber name')
  .argument('[ids...]', 'event ids from `floodgate dlq list`; none = every one')
  .action(async (subscriber: string, ids: string[]) => {
    const { replayDeadEvents } = await import('./platform/bus/rabbitmq-dlq.js');
    console.log(`replayed ${(await replayDeadEvents(dlqTarget(subscriber), ids)).length} event(s) to ${subscriber}`);
  });
dlq
  .command('drop')
  .description('delete poison events for good')
  .argument('<subscriber>', 'the subscriber name')
  .argument('[ids...]', 'event ids from `floodgate dlq list`; none = every one')
  .action(async (subscriber: string, ids: string[]) => {
    const { dropDeadEvents } = await import('./platform/bus/rabbitmq-dlq.js');
    console.log(`dropped ${(await dropDeadEvents(dlqTarget(subscriber), ids)).length} event(s) from ${subscriber}'s dead-letter queue`);
  });

registerLoadtestCommand(program);
registerPreflightCommand(program, { pollBudgetPerSecond: () => config().flashSales.pollBudgetPerSecond });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // a setting, permission or dependency the operator must fix: its line(s), a documented exit code,
  // the stack only when asked for (docs/troubleshooting.md)
  if (!(err instanceof StartupError)) throw err;
  console.error(`floodgate: ${err.message}`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(err.cause instanceof Error ? err.cause : err);
  process.exit(err.exitCode);
}
