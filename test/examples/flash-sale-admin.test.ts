import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestShop } from '../support/shop.js';

const run = promisify(execFile);

describe('examples/flash-sale-admin.ts', () => {
  const ctx = useTestShop('pglite');

  it('when the example runs as a script against a shop, then it creates a product and a sale, and its order reaches paid', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/flash-sale-admin.ts'], {
      env: { ...process.env, FLOODGATE_URL: ctx.shop.url, FLOODGATE_ADMIN_EMAIL: ctx.shop.admin.email, FLOODGATE_ADMIN_PASSWORD: ctx.shop.admin.password },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/flash sale \S+: 5 units/);
    expect(stdout).toMatch(/order \S+ is paid/);
    // the shop agrees: one of the sale's five units is sold
    const saleId = /flash sale (\S+):/.exec(stdout)![1];
    expect((await ctx.api.get(`/v1/flash-sales/${saleId}`)).body.remaining).toBe(4);
  }, 90_000);
});
