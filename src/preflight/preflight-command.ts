import { InvalidArgumentError, type Command } from 'commander';
import { demoAdmin } from '../loadtest/loadtest-command.js';
import { formatPreflight, runPreflight } from './run-preflight.js';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" must be a positive number`);
  return n;
};

interface CliOptions {
  target: string;
  adminEmail?: string;
  adminPassword?: string;
  checkoutCapacity?: number;
  expectedCustomers?: number;
  pollBudget?: number;
  pageBudget: number;
}

/** adds `preflight <saleId>`: prints each check and one verdict; exit code 1 when the sale is not ready */
/** `pollBudgetPerSecond` is read only when the command runs (it comes from the environment's configuration) */
export function registerPreflightCommand(program: Command, defaults: { pollBudgetPerSecond: () => number }): Command {
  return program
    .command('preflight')
    .description('is a flash sale ready to open? counters vs database, page caching, admission vs checkout capacity, poll rate, rate limits')
    .argument('<saleId>', 'the sale to check')
    .option('--target <url>', 'base URL of the shop', 'http://127.0.0.1:8080')
    .option('--admin-email <email>', 'admin login (env FLOODGATE_ADMIN_EMAIL, else the demo admin of FLOODGATE_DATA_DIR)')
    .option('--admin-password <password>', 'admin password (env FLOODGATE_ADMIN_PASSWORD)')
    .option('--checkout-capacity <n>', 'checkouts per second the shop takes (default: the latest bench/results/checkout-*.json)', positive)
    .option('--expected-customers <n>', 'how many will wait (default 100 × the sale quantity)', positive)
    .option('--poll-budget <n>', 'polls per second the sale may cost (default FLASH_SALE_POLL_BUDGET_PER_SECOND, 2000)', positive)
    .option('--page-budget <ms>', 'p95 a page probe must stay under', positive, 50)
    .action(async (saleId: string, o: CliOptions) => {
      const demo = demoAdmin(process.env.FLOODGATE_DATA_DIR ?? '.floodgate');
      const email = o.adminEmail ?? process.env.FLOODGATE_ADMIN_EMAIL ?? demo?.email;
      const password = o.adminPassword ?? process.env.FLOODGATE_ADMIN_PASSWORD ?? demo?.password;
      if (!email || !password) {
        console.error('floodgate preflight reads the sale as an admin: pass --admin-email/--admin-password (or FLOODGATE_ADMIN_EMAIL/PASSWORD)');
        process.exit(2);
      }
      try {
        const result = await runPreflight({
          saleId,
          target: o.target,
          admin: { email, password },
          ...(o.checkoutCapacity ? { checkoutCapacity: o.checkoutCapacity } : {}),
          ...(o.expectedCustomers ? { expectedCustomers: o.expectedCustomers } : {}),
          pollBudgetPerSecond: o.pollBudget ?? defaults.pollBudgetPerSecond(),
          pageBudgetMs: o.pageBudget,
        });
        process.stdout.write(`${formatPreflight(saleId, result)}\n`);
        if (!result.ready) process.exitCode = 1;
      } catch (err) {
        process.stderr.write(`floodgate preflight: ${(err as Error).message}\nNOT READY\n`);
        process.exitCode = 1;
      }
    });
}
