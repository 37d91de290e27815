import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { useTestShop } from '../../test/support/shop.js';
import { registerPreflightCommand } from './preflight-command.js';
import { runPreflight } from './run-preflight.js';

describe('floodgate preflight against a shop', () => {
  const ctx = useTestShop('pglite');

  async function liveSale(admissionRatePerSecond: number) {
    const { variantId } = await ctx.shopper.createProduct(ctx.admin, { stock: 50 });
    const now = Date.now();
    const created = await ctx.api.post('/v1/admin/flash-sales', {
      variantId, price: { amount: 999, currency: 'USD' }, quantity: 20, perCustomerLimit: 1, admissionRatePerSecond, allowGuests: true,
      startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
    }, { token: ctx.admin });
    expect(created.status).toBe(201);
    await expect.poll(async () => (await ctx.api.get(`/v1/flash-sales/${created.body.id}`)).body.status, { timeout: 20_000 }).toBe('live');
    return created.body.id as string;
  }

  it('when a live sale has its counters loaded and admits within the checkout capacity, then every check passes and the verdict is READY', async () => {
    const saleId = await liveSale(50);
    const result = await runPreflight({
      saleId, target: ctx.shop.url, admin: ctx.shop.admin, checkoutCapacity: 160, pollBudgetPerSecond: 2_000, expectedCustomers: 100_000, pageBudgetMs: 250,
    });
    const byName = Object.fromEntries(result.checks.map((c) => [c.name, c]));
    expect(byName['counters loaded and equal to the database']).toMatchObject({ status: 'passed', detail: expect.stringContaining('available 20, held 0, sold 0') });
    expect(byName[`/sale/${saleId} cached and fast`]).toMatchObject({ status: 'passed' });
    expect(byName[`/v1/flash-sales/${saleId} cached and fast`]).toMatchObject({ status: 'passed' });
    expect(result.checks.find((c) => c.name.startsWith('/v1/products/'))).toMatchObject({ status: 'passed' });
    expect(byName['admission rate within checkout capacity']?.status).toBe('passed');
    expect(byName['expected poll rate within the budget']?.status).toBe('passed');
    expect(result.ready).toBe(true);
    expect(result.verdict).toMatch(/^READY/);
  }, 60_000);

  it('when admission outpaces checkout, then the command prints NOT READY and exits 1', async () => {
    const saleId = await liveSale(1_000);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    const before = process.exitCode;
    try {
      const program = registerPreflightCommand(new Command(), { pollBudgetPerSecond: () => 2_000 }).parent ?? new Command();
      await program.parseAsync(['preflight', saleId, '--target', ctx.shop.url, '--admin-email', ctx.shop.admin.email, '--admin-password', ctx.shop.admin.password, '--checkout-capacity', '100', '--page-budget', '250'], { from: 'user' });
      expect(process.exitCode).toBe(1);
    } finally {
      process.stdout.write = write;
      process.exitCode = before;
    }
    const text = out.join('');
    expect(text).toContain('[FAIL] admission rate within checkout capacity: admitting 1000/s against checkout capacity 100/s');
    expect(text).toContain('[ok  ] counters loaded and equal to the database');
    expect(text.trim().split('\n').at(-1)).toMatch(/^NOT READY: 1 check failed/);
  }, 60_000);
});
