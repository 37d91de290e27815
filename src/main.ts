import { resolve } from 'node:path';
import { Argument, Command } from 'commander';
import { loadConfig, type Config } from './config.js';
import { registerLoadtestCommand } from './loadtest/loadtest-command.js';
import { printBanner } from './runtime/banner.js';
import { describeDatabase } from './runtime/open-database.js';
import { demoAdminFile } from './runtime/demo-admin-file.js';

const program = new Command()
  .name('floodgate')
  .description('Floodgate: an ecommerce backend that keeps selling when traffic jumps 10-100x.\nConfiguration comes from the environment (HOST, PORT, FLOODGATE_DATA_DIR, DATABASE_URL, FLOODGATE_ADMIN_EMAIL/PASSWORD …); see README.md.')
  .version('0.1.0')
  .showHelpAfterError('(run floodgate --help for the commands)');

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
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
    process.stderr.write(`Starting Floodgate (all-in-one, ${describeDatabase(cfg)})\n`);
    const { startAllInOne } = await import('./runtime/all-in-one.js');
    const started = Date.now();
    const shop = await startAllInOne({ config: cfg, seed: opts.seed, onProgress: progress });
    printBanner({ shop, config: cfg, startedInMs: Date.now() - started });
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
  .description('run one component as its own process (production topology)')
  .addArgument(new Argument('<component>', 'what to serve').choices(['fake-psp']))
  .option('--ledger <file>', 'fake-psp: append decisions to this file and reload it on start (overrides FAKE_PSP_LEDGER_FILE)')
  .action(async (component: string, opts: { ledger?: string }) => {
    const cfg = { ...config(), ...(opts.ledger ? { fakePspLedgerFile: resolve(opts.ledger) } : {}) };
    if (component !== 'fake-psp') {
      console.error(`floodgate serve ${component}: not available yet; today only 'fake-psp' runs on its own (the per-service topology is tracked in the issues).`);
      process.exit(2);
    }
    const { serveFakePsp } = await import('./runtime/admin-commands.js');
    const { url, stop } = await serveFakePsp(cfg);
    console.log(`fake PSP listening on ${url} (tokens: tok_visa, tok_declined, tok_slow, tok_flaky)`);
    stopOn(stop, cfg);
  });

registerLoadtestCommand(program);

await program.parseAsync(process.argv);
